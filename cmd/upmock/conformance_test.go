package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance"
	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/internal/browser"
	"github.com/upmock/upmock/mocks"
)

// These tests run the built upmock binary, as a partner would: no `go test`, no checkout
// and no Go toolchain on its PATH.

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// upmockBinary builds cmd/upmock once per test run (without -race: the suite's packages have
// their own race-tested tests, and a race build is several times slower).
func upmockBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "upmock-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "upmock")
		out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// pathWithout is a PATH of one directory holding only the named programs (symlinks to the
// real executables), so that `go` is certainly not on it. It skips the test when a
// program is missing.
func pathWithout(t *testing.T, programs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range programs {
		real, err := exec.LookPath(p)
		if err != nil {
			t.Skipf("%s is not installed: %v", p, err)
		}
		if p == "python3" { // pyenv and similar put a shell script here; link the interpreter
			if out, err := exec.Command(real, "-c", "import sys; print(sys.executable)").Output(); err == nil {
				real = strings.TrimSpace(string(out))
			}
		}
		if err := os.Symlink(real, filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
		t.Fatal("go on the test PATH")
	}
	return dir
}

// partnerCmd is `upmock args...` run from a directory outside the checkout with a PATH that
// holds python3 and nothing else.
func partnerCmd(ctx context.Context, t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, upmockBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + pathWithout(t, "python3"), "HOME=" + dir, "LANG=C.UTF-8"}
	return cmd
}

var ansi = regexp.MustCompile("\x1b\\[")

func TestConformanceBinaryRunsPythonDriverWithoutGo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyFile(t, filepath.Join(moduleRoot(t), "conformance", "drivers", "atlas-python", "driver.py"), filepath.Join(dir, "driver.py"))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// A third of the ATLAS rules: the self-test judges this driver on all of them; here the
	// point is the binary, run as a partner runs it.
	cmd := partnerCmd(ctx, t, dir, "conformance", "--api", "atlas", "--focus", "ATLAS-(AUTH|VAL|PAGE)-",
		"--driver", "python3 driver.py", "--junit", "report.xml", "--report", "report.html")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("upmock conformance: %v\n%s", err, out)
	}
	lines := regexp.MustCompile(`(?m)^(ATLAS-[A-Z]+-\d+) +passed +\d+\.\d+s  \S`).FindAllStringSubmatch(string(out), -1)
	if len(lines) < 5 {
		t.Errorf("%d rule lines passed, want every ATLAS-AUTH, -VAL and -PAGE rule (5 or more):\n%s", len(lines), out)
	}
	if regexp.MustCompile(`(?m)^ATLAS-(RETRY|IDEMP|DL)-`).Match(out) {
		t.Errorf("--focus let other rules run:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^\d+ rules in \d+\.\d+s: \d+ passed$`).Match(out) {
		t.Errorf("no summary line:\n%s", out)
	}
	for _, f := range []string{"report.xml", "report.html"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if ansi.Match(data) {
			t.Errorf("%s carries ANSI colour codes", f)
		}
		if !bytes.Contains(data, []byte("ATLAS-AUTH-1")) {
			t.Errorf("%s does not name ATLAS-AUTH-1", f)
		}
	}
	if ansi.Match(out) {
		t.Errorf("output carries ANSI colour codes:\n%q", out)
	}
}

func TestConformanceBinaryReportsBrokenRule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	broken := filepath.Join(dir, "atlas-broken")
	if out, err := exec.Command("go", "build", "-o", broken, "../../conformance/drivers/atlas-broken").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := partnerCmd(ctx, t, dir, "conformance", "--api", "atlas", "--focus", "ATLAS-AUTH-2",
		"--driver", broken+" -defect stale-jwt", "--report", "report.html")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1 for a broken rule:\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^ATLAS-AUTH-2 +BROKEN +\d+\.\d+s`).Match(out) || !bytes.Contains(out, []byte("1 rule in")) {
		t.Errorf("no BROKEN line for ATLAS-AUTH-2 alone:\n%s", out)
	}
	if !bytes.Contains(out, []byte("What your client did:")) || !bytes.Contains(out, []byte("What the upstream requires")) {
		t.Errorf("the summary does not explain the broken rule:\n%s", out)
	}
	report := filepath.Join(dir, "report.html")
	page, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: nothing the page would fetch.
	for _, external := range []string{"<link", "<script", " src=", "url(", "@import"} {
		if bytes.Contains(page, []byte(external)) {
			t.Errorf("the report refers to an external asset (%q)", external)
		}
	}
	checkReportInChromium(t, report)
}

// checkReportInChromium opens the report in headless Chromium and checks, on the laid-out
// page, that the broken rule's journal lines are visible and its bodies folded.
func checkReportInChromium(t *testing.T, report string) {
	t.Helper()
	chromium := browser.Path(t)
	page, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	// The probe runs after the page's own content: checkVisibility() answers from layout
	// (display, details folding, visibility), not from the markup.
	probe := `<script>
const lines = [...document.querySelectorAll("section.broken .journal-line")];
const bodies = [...document.querySelectorAll("section.broken details pre.body")];
const out = document.createElement("pre");
out.id = "probe";
out.textContent = JSON.stringify({
  lines: lines.map(e => ({text: e.textContent, visible: e.checkVisibility()})),
  bodies: bodies.map(e => e.checkVisibility()),
  requires: [...document.querySelectorAll("section.broken .requires")].map(e => e.checkVisibility()),
});
document.body.appendChild(out);
</script>`
	probed := filepath.Join(t.TempDir(), "probed.html")
	withProbe := strings.Replace(string(page), "</body>", probe+"</body>", 1)
	if err := os.WriteFile(probed, []byte(withProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+probed)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("chromium's DOM has no probe result:\n%s", clip(dom))
	}
	var got struct {
		Lines []struct {
			Text    string
			Visible bool
		}
		Bodies   []bool
		Requires []bool
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatalf("probe result %q: %v", m[1], err)
	}
	// ATLAS-AUTH-2 judges the JWTs of two registrations (a reused one is dated no later):
	// the journal lines of both must be visible.
	seenRegistration := false
	for _, l := range got.Lines {
		if !l.Visible {
			t.Errorf("journal line hidden: %s", l.Text)
		}
		seenRegistration = seenRegistration || (l.Visible && strings.Contains(l.Text, "POST /atlas/v1/shipping/items"))
	}
	if !seenRegistration {
		t.Errorf("no visible journal line shows the registrations that broke the rule: %+v", got.Lines)
	}
	for i, v := range got.Bodies {
		if v {
			t.Errorf("body %d is shown unfolded; bodies open on click", i)
		}
	}
	if len(got.Bodies) == 0 || len(got.Requires) == 0 || !got.Requires[0] {
		t.Errorf("the broken rule shows no bodies to fold or no upstream words: %+v", got)
	}
}

func TestConformanceNewDriverTalksTheProtocol(t *testing.T) {
	t.Parallel()
	bin := upmockBinary(t)
	for _, lang := range []struct{ name, interpreter, file string }{
		{"python", "python3", "driver.py"},
		{"node", "node", "driver.mjs"},
	} {
		interpreter, err := exec.LookPath(lang.interpreter)
		if err != nil {
			t.Logf("%s is not installed: the %s skeleton was not run", lang.interpreter, lang.name)
			continue
		}
		for _, api := range conformance.APIs {
			dir := filepath.Join(t.TempDir(), "my-driver")
			out, err := exec.Command(bin, "conformance", "--new-driver", lang.name, "--api", api, dir).CombinedOutput()
			if err != nil {
				t.Fatalf("--new-driver %s --api %s: %v\n%s", lang.name, api, err, out)
			}
			if _, err := exec.Command(bin, "conformance", "--new-driver", lang.name, "--api", api, dir).CombinedOutput(); err == nil {
				t.Errorf("--new-driver overwrote %s", dir)
			}
			checkSkeleton(t, []string{interpreter, filepath.Join(dir, lang.file)}, api)
		}
	}
}

// checkSkeleton runs a generated driver and checks it answers configure and every op of api,
// each with "unsupported", in order.
func checkSkeleton(t *testing.T, command []string, api string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	d, err := driver.Start(ctx, command, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Do(ctx, "configure", map[string]any{api: map[string]any{"baseUrl": "http://127.0.0.1:9/" + api}}); err != nil {
		t.Fatalf("%v configure: %v\n%s", command, err, stderr.String())
	}
	for _, op := range conformance.Ops[api] {
		_, err := d.Do(ctx, op.Name, map[string]any{})
		var de *driver.Error
		if !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
			t.Errorf("%v %s: %v, want code unsupported\n%s", command, op.Name, err, stderr.String())
		}
	}
	if err := d.Close(); err != nil {
		t.Errorf("%v did not exit cleanly: %v\n%s", command, err, stderr.String())
	}
}

func TestConformanceDeletesItsSessionsOnASharedServer(t *testing.T) {
	t.Parallel()
	srv, err := mocks.Start(mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	copyFile(t, filepath.Join(moduleRoot(t), "conformance", "drivers", "atlas-python", "driver.py"), filepath.Join(dir, "driver.py"))
	before := sessions(t, srv.URL())

	t.Run("after a run", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := partnerCmd(ctx, t, dir, "conformance", "--upmock-url", srv.URL(), "--api", "atlas",
			"--focus", "ATLAS-VAL-2|ATLAS-AUTH-1", "--driver", "python3 driver.py").CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if n := sessions(t, srv.URL()); n != before {
			t.Errorf("%d sessions on the shared upmock after the run, %d before", n, before)
		}
		// The run is posted to the server for its console.
		res, err := http.Get(srv.URL() + "/__upmock/conformance")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var rep struct {
			Summary map[string]int
			Rules   []struct{ ID, Verdict string }
			HTML    string
		}
		if err := json.NewDecoder(res.Body).Decode(&rep); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET /__upmock/conformance after the run: %d %v", res.StatusCode, err)
		}
		ids := map[string]string{}
		for _, r := range rep.Rules {
			ids[r.ID] = r.Verdict
		}
		if ids["ATLAS-VAL-2"] != "passed" || ids["ATLAS-AUTH-1"] != "passed" || rep.Summary["passed"] != len(rep.Rules) || !strings.Contains(rep.HTML, "ATLAS-VAL-2") {
			t.Errorf("posted report: rules %v, summary %v, HTML %d bytes; want both focused rules passed", ids, rep.Summary, len(rep.HTML))
		}
		if !strings.Contains(string(out), "Report posted: "+srv.URL()+"/__upmock/ui/") {
			t.Errorf("the run does not say where the report went:\n%s", out)
		}
	})
	t.Run("after an interrupt", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := partnerCmd(ctx, t, dir, "conformance", "--upmock-url", srv.URL(), "--api", "atlas", "--driver", "python3 driver.py")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Interrupt once the second spec runs: the first rule's line is out, and so the
		// second spec has made its session.
		var out bytes.Buffer
		buf := make([]byte, 4096)
		for !strings.Contains(out.String(), "s  ") {
			n, err := stdout.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				t.Fatalf("no rule finished: %v\n%s", err, out.String())
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for sessions(t, srv.URL()) == before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		rest, _ := io.ReadAll(stdout)
		out.Write(rest)
		if err := cmd.Wait(); err == nil {
			t.Errorf("an interrupted run exited 0:\n%s", out.String())
		}
		if n := sessions(t, srv.URL()); n != before {
			t.Errorf("%d sessions on the shared upmock after an interrupted run, %d before:\n%s", n, before, out.String())
		}
	})
}

// sessions is the number of live sessions upmock's health reports.
func sessions(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url + "/__upmock/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var h struct{ Sessions int }
	if err := json.NewDecoder(res.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h.Sessions
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

func clip(b []byte) string {
	if len(b) > 4000 {
		return string(b[:4000]) + "…"
	}
	return string(b)
}
