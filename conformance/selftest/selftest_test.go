package selftest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks"
)

// atlasSpecs is the reviewed list of ATLAS rules the suite checks: the JUnit report of
// every run must name each of them.
var atlasSpecs = []string{
	"ATLAS-AUTH-1", "ATLAS-AUTH-2", "ATLAS-AUTH-3",
	"ATLAS-IDEMP-1", "ATLAS-IDEMP-2", "ATLAS-IDEMP-3",
	"ATLAS-VAL-1", "ATLAS-VAL-2",
	"ATLAS-DL-1", "ATLAS-DL-2", "ATLAS-DL-3", "ATLAS-PAGE-1", "ATLAS-PAGE-2",
	"ATLAS-RETRY-1", "ATLAS-RETRY-2", "ATLAS-RETRY-3", "ATLAS-RETRY-4", "ATLAS-RETRY-5",
}

// defects are the broken driver's -defect values and the specs each must fail.
var defects = []struct {
	name string
	fail []string
}{
	{"stale-jwt", []string{"ATLAS-AUTH-2"}},
	{"auth-on-download", []string{"ATLAS-DL-1"}},
	{"fixed-transaction-id", []string{"ATLAS-IDEMP-1", "ATLAS-IDEMP-3"}},
	{"omit-null-fields", []string{"ATLAS-VAL-1", "ATLAS-IDEMP-3"}},
	{"multi-item-single", []string{"ATLAS-VAL-2", "ATLAS-IDEMP-3"}},
	{"first-page-only", []string{"ATLAS-PAGE-1", "ATLAS-PAGE-2"}},
	{"retry-on-400", []string{"ATLAS-RETRY-5"}},
	{"no-retry", []string{"ATLAS-RETRY-1", "ATLAS-RETRY-2", "ATLAS-RETRY-3", "ATLAS-RETRY-4", "ATLAS-IDEMP-2"}},
	{"new-transaction-id-on-retry", []string{"ATLAS-IDEMP-2"}},
	{"requestdate-ahead", []string{"ATLAS-AUTH-3"}},
	{"one-transaction-id-per-registration", []string{"ATLAS-IDEMP-3"}},
	{"return-sent-cursor", []string{"ATLAS-PAGE-2"}},
	{"reuse-master-url", []string{"ATLAS-DL-2"}},
	{"read-64k-prefix", []string{"ATLAS-DL-3"}},
	{"retry-at-once", []string{"ATLAS-RETRY-1", "ATLAS-RETRY-2", "ATLAS-RETRY-3", "ATLAS-RETRY-4"}},
	// Shows only outside UTC: the suite runs ATLAS drivers in Asia/Tokyo, where the local time
	// written with Z is nine hours ahead and the upstream refuses every call (804). ATLAS-AUTH-3
	// names the cause; the specs that judge a call's outcome fail with it.
	{"local-time-as-utc", []string{"ATLAS-AUTH-1", "ATLAS-AUTH-2", "ATLAS-AUTH-3", "ATLAS-DL-1", "ATLAS-DL-2", "ATLAS-DL-3",
		"ATLAS-IDEMP-2", "ATLAS-IDEMP-3", "ATLAS-PAGE-1", "ATLAS-PAGE-2", "ATLAS-VAL-1"}},
}

func TestSuiteJudgesDrivers(t *testing.T) {
	t.Parallel() // the APIs' self-tests overlap: much of each run waits on drivers
	root, run := newSelftest(t, "api:atlas", atlasSpecs)
	bin := t.TempDir()
	reference := filepath.Join(bin, "atlas-reference")
	broken := filepath.Join(bin, "atlas-broken")
	goCmd(t, root, "build", "-o", reference, "./conformance/drivers/atlas-reference")
	goCmd(t, root, "build", "-o", broken, "./conformance/drivers/atlas-broken")

	t.Run("reference", func(t *testing.T) {
		t.Parallel()
		run.expect(t, []string{reference}, nil)
	})
	t.Run("python", func(t *testing.T) {
		t.Parallel()
		python, err := exec.LookPath("python3")
		if err != nil {
			t.Skip("python3 is not on PATH: the Python reference driver was not judged")
		}
		run.expect(t, []string{interpreter(python), filepath.Join(root, "conformance", "drivers", "atlas-python", "driver.py")}, nil)
	})
	for _, d := range defects {
		t.Run("broken/"+d.name, func(t *testing.T) {
			t.Parallel()
			run.expect(t, []string{broken, "-defect", d.name}, d.fail)
		})
	}
}

// shared is what every API's self-test uses: the suite built once, and one upmock whose every
// answer is checked against its OpenAPI document (reported by TestMain after all tests).
var shared struct {
	once    sync.Once
	root    string
	suite   string
	dir     string
	server  *mocks.Server
	err     error
	mu      sync.Mutex
	offSpec []string
}

// selftestParallel is how many suite runs overlap: they mostly wait on driver processes, so
// more than the default (GOMAXPROCS) fit on 2 cores. A -parallel given on the command line
// wins. (It is set here, not in make test, because ginkgo refuses `go test -parallel` for the
// suite's own package.)
const selftestParallel = "4"

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", selftestParallel)
	}
	code := m.Run()
	if shared.server != nil {
		_ = shared.server.Close()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	shared.mu.Lock()
	for _, v := range shared.offSpec {
		fmt.Fprintf(os.Stderr, "FAIL: upmock answered outside its OpenAPI document: %s\n", v)
		code = 1
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// newSelftest returns the module root and a runner for one API's specs (label, e.g.
// "api:atlas", and the reviewed list of its rule IDs), building the suite and starting upmock
// on first use. Each API's self-test (<api>_test.go) starts with it.
func newSelftest(t *testing.T, label string, specs []string) (root string, run runner) {
	t.Helper()
	shared.once.Do(func() {
		shared.root, shared.err = findModuleRoot()
		if shared.err != nil {
			return
		}
		if shared.dir, shared.err = os.MkdirTemp("", "upmock-selftest-"); shared.err != nil {
			return
		}
		shared.suite = filepath.Join(shared.dir, "suite.test")
		if shared.err = goBuildCmd(shared.root, "test", "-c", "-o", shared.suite, "./conformance"); shared.err != nil {
			return
		}
		shared.server, shared.err = mocks.Start(mocks.Options{
			ValidateResponses: true,
			OnResponseViolation: func(api, operation string, err error) {
				shared.mu.Lock()
				defer shared.mu.Unlock()
				shared.offSpec = append(shared.offSpec, api+" "+operation+": "+err.Error())
			},
		})
	})
	if shared.err != nil {
		t.Fatalf("self-test set-up: %v", shared.err)
	}
	return shared.root, runner{suite: shared.suite, upmock: shared.server.URL(), label: label, specs: specs}
}

// runner runs the precompiled suite's specs of one API against one driver.
type runner struct {
	suite  string   // the suite's test binary
	upmock string   // the shared upmock's URL
	label  string   // the API's label filter
	specs  []string // the API's rule IDs; specs of other APIs in the report are ignored
}

// expect runs the suite with driver and checks that exactly the specs of wantFailed
// failed, that every ATLAS spec ran, and that the exit status says so.
func (r runner) expect(t *testing.T, driver []string, wantFailed []string) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "junit.xml")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.suite,
		"-upmock-url="+r.upmock,
		"-driver="+shellJoin(driver),
		"-ginkgo.junit-report="+report,
		"-ginkgo.label-filter="+r.label,
		"-ginkgo.no-color",
	)
	cmd.Dir = t.TempDir()
	// A -race binary sleeps 1 s at exit by default; with one driver process per spec that
	// would add a second to every spec. The drivers inherit this environment.
	cmd.Env = append(os.Environ(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, runErr := cmd.CombinedOutput()

	cases, err := readJUnit(report)
	if err != nil {
		t.Fatalf("no usable JUnit report (%v); suite exited with %v:\n%s", err, runErr, out)
	}
	ours := map[string]bool{}
	for _, id := range r.specs {
		ours[id] = true
		if _, ok := cases[id]; !ok {
			t.Errorf("the JUnit report names no spec for %s", id)
		}
	}
	for id := range cases {
		if !ours[id] && ruleID.MatchString(id) {
			delete(cases, id) // another API's spec, filtered out by the label
		}
	}
	want := map[string]bool{}
	for _, id := range wantFailed {
		want[id] = true
	}
	for id, c := range cases {
		switch {
		case c.failed && !want[id]:
			t.Errorf("%s failed, but the driver keeps that rule:\n%s", c.name, c.message)
		case !c.failed && want[id]:
			t.Errorf("%s did not fail (%s), but the driver breaks that rule", c.name, c.status)
		case c.status == "skipped":
			t.Errorf("%s was skipped: no spec may skip, since a skip would hide a broken rule:\n%s", c.name, c.message)
		case len(want) == 0 && c.status != "passed":
			t.Errorf("%s is %s; a reference driver must pass every spec", c.name, c.status)
		}
	}
	if (runErr != nil) != (len(wantFailed) > 0) {
		t.Errorf("suite exit: %v; want failure: %t", runErr, len(wantFailed) > 0)
	}
	if t.Failed() {
		t.Logf("suite output:\n%s", out)
	}
}

// interpreter is the program a python3 on PATH runs (sys.executable), or python itself when
// it cannot say. A version manager's shim (pyenv) costs a second or more per start on a
// loaded machine, and the suite starts one driver per spec.
func interpreter(python string) string {
	out, err := exec.Command(python, "-c", "import sys; print(sys.executable)").Output()
	if real := strings.TrimSpace(string(out)); err == nil && real != "" {
		return real
	}
	return python
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := findModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func findModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// goCmd runs a go build command in dir (with -race when this test has it) and fails the
// test if it fails.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	if err := goBuildCmd(dir, args...); err != nil {
		t.Fatal(err)
	}
}

// goBuildCmd is goCmd returning its failure, for use outside a test's goroutine. The suite
// and the drivers are built without -race even under `go test -race`: their packages' own
// tests run with the race detector, and race-built driver processes (one per spec) would
// only make every run several times slower.
func goBuildCmd(dir string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// shellJoin quotes args for the suite's --driver flag, which splits on spaces and
// respects single quotes.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
