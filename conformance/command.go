package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/driver"
)

// APIs are the upstreams the suite has rules for, in the order reports list them.
var APIs = []string{"atlas", "jaia", "occto", "ics2no", "naccs"}

// CommandOptions are what `upmock conformance` was given.
type CommandOptions struct {
	Driver    string   // the driver's command line, split as --driver is (required)
	APIs      []string // the APIs whose rules run; empty: every API
	UpmockURL string   // a running upmock; empty: one starts in-process
	// UpmockToken is that upmock's control token (its --control-token); empty:
	// $UPMOCK_CONTROL_TOKEN.
	UpmockToken string
	JUnit       string // where to write a JUnit XML report; empty: none
	Report      string // where to write the HTML report; empty: none
	Focus       string // a rule ID (ATLAS-AUTH-1) or a regular expression over rule names
	Out         io.Writer
}

// RunCommand runs the compiled-in suite once, in this process, as `upmock conformance` does:
// one line per rule as it finishes, then a summary, on o.Out. It reports whether every rule
// that ran held. Ginkgo runs one suite per process, so RunCommand may be called only once.
func RunCommand(o CommandOptions) (passed bool, err error) {
	start, err := commandStarter(o.Driver)
	if err != nil {
		return false, err
	}
	labels, err := labelFilter(o.APIs)
	if err != nil {
		return false, err
	}
	*upmockURLFlag, *upmockTokenFlag = o.UpmockURL, o.UpmockToken
	prepare(start, true)

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.LabelFilter = labels
	if o.Focus != "" {
		suiteConfig.FocusStrings = []string{focusPattern(o.Focus)}
	}
	reporterConfig.NoColor = true
	reporterConfig.JUnitReport = o.JUnit
	// The per-rule lines below replace ginkgo's console report; the JUnit and HTML reports
	// carry the details.
	formatter.ColorableStdOut = io.Discard

	p := &progress{out: o.Out, started: time.Now()}
	ReportAfterEach(p.record)
	gomega.RegisterFailHandler(Fail)
	t := &commandT{}
	RunSpecs(t, SuiteName, suiteConfig, reporterConfig)
	closeErr := closeRun()

	p.summarize()
	if o.Report != "" {
		if err := writeHTMLReport(o.Report, p.ran(), time.Since(p.started)); err != nil {
			return false, errors.Join(err, closeErr)
		}
		fmt.Fprintf(o.Out, "HTML report: %s\n", o.Report)
	}
	if o.JUnit != "" {
		fmt.Fprintf(o.Out, "JUnit report: %s\n", o.JUnit)
	}
	if o.UpmockURL != "" {
		// The server's console shows the run; a server that refuses it does not fail the run.
		if err := postReport(o.UpmockURL, p.ran(), time.Since(p.started)); err != nil {
			fmt.Fprintf(o.Out, "could not post the report to upmock: %v\n", err)
		} else {
			fmt.Fprintf(o.Out, "Report posted: %s/__upmock/ui/ (Conformance)\n", strings.TrimRight(o.UpmockURL, "/"))
		}
	}
	return !t.failed && p.ok(), closeErr
}

// commandStarter starts the driver command line cmdline for each spec, in the spec's time zone.
func commandStarter(cmdline string) (starter, error) {
	args, err := splitCommand(cmdline)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, errors.New("--driver is blank: give the command that starts your driver")
	}
	args = resolvePaths(args)
	return func(stderr io.Writer, tz string) (driver.Driver, error) {
		return driver.StartEnv(context.Background(), args, []string{"TZ=" + tz}, stderr)
	}, nil
}

// labelFilter selects the specs of apis ("" for all).
func labelFilter(apis []string) (string, error) {
	var terms []string
	for _, a := range apis {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		known := false
		for _, k := range APIs {
			known = known || k == a
		}
		if !known {
			return "", fmt.Errorf("no rules for API %q; the suite has %s", a, strings.Join(APIs, ", "))
		}
		terms = append(terms, "api:"+a)
	}
	return strings.Join(terms, " || "), nil
}

var ruleIDPattern = regexp.MustCompile(`^[A-Z0-9]+-[A-Z]+-\d+$`)

// focusPattern turns a rule ID into a pattern that matches that rule alone (ATLAS-RETRY-1, not
// ATLAS-RETRY-10); anything else is a regular expression over the rules' names.
func focusPattern(focus string) string {
	if ruleIDPattern.MatchString(focus) {
		return `\b` + regexp.QuoteMeta(focus) + `:`
	}
	return focus
}

// commandT is the GinkgoTestingT RunSpecs reports a failed run to.
type commandT struct{ failed bool }

func (t *commandT) Fail() { t.failed = true }

// progress prints one line per rule as it finishes and keeps the reports for the summary.
type progress struct {
	out     io.Writer
	started time.Time

	mu      sync.Mutex
	reports []types.SpecReport
}

func (p *progress) record(r SpecReport) {
	if !ranOrSkippedItself(r) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reports = append(p.reports, r)
	fmt.Fprintf(p.out, "%-16s %-11s %6.1fs  %s\n", ruleOf(r), verdict(r.State), r.RunTime.Seconds(), titleOf(r))
}

// ranOrSkippedItself is false for a spec the label filter or --focus left out; a spec that
// skipped itself at run time (Skip) has a message and counts.
func ranOrSkippedItself(r SpecReport) bool {
	return r.State != types.SpecStateSkipped || r.Failure.Message != "" || r.RunTime > 0
}

func (p *progress) ran() []types.SpecReport {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]types.SpecReport(nil), p.reports...)
}

// ok is true when no rule that ran was broken or failed to run.
func (p *progress) ok() bool {
	for _, r := range p.ran() {
		if r.State.Is(types.SpecStateFailureStates) {
			return false
		}
	}
	return true
}

// summarize prints the counts, then what each broken rule's client did and what the upstream
// requires (the same text as the JUnit and HTML reports).
func (p *progress) summarize() {
	reports := p.ran()
	counts := map[string]int{}
	var broken []types.SpecReport
	for _, r := range reports {
		counts[verdict(r.State)]++
		if r.State.Is(types.SpecStateFailureStates) {
			broken = append(broken, r)
		}
	}
	verdicts := make([]string, 0, len(counts))
	for v := range counts {
		verdicts = append(verdicts, v)
	}
	sort.Strings(verdicts)
	parts := make([]string, len(verdicts))
	for i, v := range verdicts {
		parts[i] = fmt.Sprintf("%d %s", counts[v], v)
	}
	if len(reports) == 0 {
		parts = []string{"no rule matched --api and --focus"}
	}
	fmt.Fprintf(p.out, "\n%s in %.1fs: %s\n", rulesCount(len(reports)), time.Since(p.started).Seconds(), strings.Join(parts, ", "))
	for _, r := range broken {
		fmt.Fprintf(p.out, "\n--- %s %s\n%s\n", ruleOf(r), verdict(r.State), strings.TrimSpace(r.Failure.Message))
	}
}

// verdict names a spec's outcome for a reader: a failed spec is a broken rule.
func verdict(s types.SpecState) string {
	switch s {
	case types.SpecStatePassed:
		return "passed"
	case types.SpecStateFailed:
		return "BROKEN"
	case types.SpecStateSkipped, types.SpecStatePending:
		return "skipped"
	case types.SpecStateTimedout:
		return "TIMED-OUT"
	case types.SpecStateInterrupted:
		return "INTERRUPTED"
	default: // panicked, aborted
		return "ERROR"
	}
}

// ruleOf is the rule ID a spec's name starts with ("ATLAS-AUTH-1: …").
func ruleOf(r SpecReport) string {
	id, _, ok := strings.Cut(r.LeafNodeText, ": ")
	if !ok {
		return r.LeafNodeText
	}
	return id
}

// titleOf is the rule in one line, after its ID.
func titleOf(r SpecReport) string {
	if _, title, ok := strings.Cut(r.LeafNodeText, ": "); ok {
		return title
	}
	return ""
}

// apiOf is the API label of a spec ("atlas" for api:atlas).
func apiOf(r SpecReport) string {
	for _, l := range r.Labels() {
		if a, ok := strings.CutPrefix(l, "api:"); ok {
			return a
		}
	}
	return "other"
}

func rulesCount(n int) string {
	if n == 1 {
		return "1 rule"
	}
	return fmt.Sprintf("%d rules", n)
}
