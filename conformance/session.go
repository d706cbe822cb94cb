package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// opTimeout bounds one driver operation; DRIVER.md promises 30 s, the rest is slack.
const opTimeout = 35 * time.Second

var sessionSeq atomic.Int64

// session is one spec's own upmock session and its own driver process.
type session struct {
	api       string // the API whose journal is attached on failure
	name      string // unique per spec and per process: conf-<pid>-<n>
	serverURL string
	ctl       *control.Client
	drv       driver.Driver
	stderr    *tailBuffer

	mu    sync.Mutex
	calls []string // one line per driver operation, for the report
}

// newSession opens a fresh upmock session and starts a driver for the current spec.
// Cleanups, in the order they run: close the driver (and attach its standard error),
// attach the journal and the driver's calls if the spec failed, delete the session.
func newSession(ctx context.Context, api string) *session {
	GinkgoHelper()
	url := serverURL(ctx)
	requireAPI(api)
	s := &session{
		api:       api,
		name:      fmt.Sprintf("conf-%d-%d", os.Getpid(), sessionSeq.Add(1)),
		serverURL: url,
		stderr:    newTailBuffer(64 << 10),
	}
	s.ctl = control.New(url, s.name).WithToken(*upmockTokenFlag)
	trackSession(s.name)
	// A long-running upmock may hold a session of an earlier process with the same pid.
	Expect(s.ctl.Reset(ctx, "")).To(Succeed(), "resetting upmock session %s", s.name)
	DeferCleanup(s.remove)
	DeferCleanup(s.attachOnFailure)

	tz := driverZone(api)
	drv, err := suite.start(s.stderr, tz)
	Expect(err).NotTo(HaveOccurred(), "starting the driver")
	s.drv = drv
	DeferCleanup(s.closeDriver)
	AddReportEntry("upmock session", s.ctl.Base(), ReportEntryVisibilityFailureOrVerbose)
	if suite.setsZone {
		AddReportEntry("driver TZ", tz, ReportEntryVisibilityFailureOrVerbose)
	} else {
		AddReportEntry("driver TZ", "not set: an in-process driver runs in the suite's own zone ("+time.Local.String()+"); "+
			"the spec's zone would be "+tz, ReportEntryVisibilityFailureOrVerbose)
	}
	return s
}

// upstreamZone is each API's own time zone: where its upstream and most of its clients run.
var upstreamZone = map[string]string{
	"atlas": "Asia/Tokyo", "jaia": "Asia/Tokyo", "occto": "Asia/Tokyo", "naccs": "Asia/Tokyo",
	"ics2no": "Europe/Oslo",
}

// driverZone is the TZ the current spec's driver process runs with: its rule's DriverTZ,
// or else the upstream's own zone. A client that formats local time where the upstream
// wants UTC fails in the upstream's zone at any hour, which is why that is the default;
// rules whose obligations are about the upstream's calendar day set "UTC", where a client
// that takes its local day for the upstream's fails (README, "The driver's time zone").
func driverZone(api string) string {
	if r, ok := ruleOfSpec(); ok && r.DriverTZ != "" {
		return r.DriverTZ
	}
	if z, ok := upstreamZone[api]; ok {
		return z
	}
	return "UTC"
}

// call sends op to the driver and returns its result, or the failure the driver
// reported (ok:false). A driver that does not answer at all fails the spec.
func (s *session) call(ctx context.Context, op string, params any) (json.RawMessage, *driver.Error) {
	GinkgoHelper()
	cctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	start := time.Now()
	res, err := s.drv.Do(cctx, op, params)
	took := time.Since(start).Round(time.Millisecond)
	p := redactedJSON(params)
	var de *driver.Error
	switch {
	case err == nil:
		s.logCall("%s %s → ok %s (%s)", op, p, clip(string(res), 300), took)
		return res, nil
	case errors.As(err, &de):
		s.logCall("%s %s → ok:false %s (%s)", op, p, describeDriverError(de), took)
		return nil, de
	default:
		s.logCall("%s %s → no answer: %v (%s)", op, p, err, took)
		Fail(fmt.Sprintf("The driver did not answer %q: %v\n"+
			"A driver answers every request with one JSON line (conformance/DRIVER.md); "+
			"its standard error is attached to this spec's report.", op, err))
		return nil, nil
	}
}

func (s *session) logCall(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

// journal is the session's request journal for the spec's API, oldest first.
func (s *session) journal(ctx context.Context) []control.Entry {
	GinkgoHelper()
	entries, err := s.ctl.Requests(ctx, s.api)
	Expect(err).NotTo(HaveOccurred(), "reading the upmock journal")
	return entries
}

func (s *session) closeDriver() {
	if s.drv != nil {
		if err := s.drv.Close(); err != nil {
			s.logCall("close → %v", err)
		}
	}
	if out := s.stderr.String(); out != "" {
		AddReportEntry("driver stderr", out, ReportEntryVisibilityFailureOrVerbose)
	}
}

func (s *session) attachOnFailure() {
	if !CurrentSpecReport().Failed() {
		return
	}
	s.mu.Lock()
	calls := strings.Join(s.calls, "\n")
	s.mu.Unlock()
	AddReportEntry("driver calls", calls)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	entries, err := s.ctl.Requests(ctx, s.api)
	if err != nil {
		AddReportEntry("upmock journal", "could not be read: "+err.Error())
		return
	}
	AddReportEntry("upmock journal (GET "+s.ctl.Base()+"/requests?api="+s.api+")", journalReport(entries))
}

// remove deletes the spec's session from upmock, so a shared server keeps none of them.
func (s *session) remove() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	Expect(deleteSession(ctx, s.serverURL, s.name)).To(Succeed(), "deleting upmock session %s", s.name)
}

// redactedJSON renders params for the report with secrets (apiSecret, passwords) hidden,
// as the journal hides them.
func redactedJSON(params any) []byte {
	raw, err := json.Marshal(params)
	if err != nil {
		return []byte(fmt.Sprintf("(unencodable: %v)", err))
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if l := strings.ToLower(k); strings.Contains(l, "secret") || strings.Contains(l, "password") {
					t[k] = "REDACTED"
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	out, _ := json.Marshal(v)
	return out
}

func describeDriverError(e *driver.Error) string {
	var b strings.Builder
	if e.Status != 0 {
		fmt.Fprintf(&b, "status %d ", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "code %s ", e.Code)
	}
	fmt.Fprintf(&b, "%q", e.Message)
	return b.String()
}

// tailBuffer keeps the last max bytes written to it; safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// clip shortens s to at most n bytes for a report line.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
