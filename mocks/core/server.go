package core

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/upmock/upmock/fixtures"
)

// Options configure a Server.
type Options struct {
	APIs []API
	// Fixtures holds one directory per API (fixtures/<name>/); each instance gets its own.
	// Default: the embedded set (package fixtures), so a mock never needs a fallback.
	Fixtures fs.FS
	Logger   *slog.Logger
	// MaxSessions bounds live sessions (default 256); SessionIdle drops idle ones (default 30 min).
	MaxSessions int
	SessionIdle time.Duration
	JournalSize int
	// MemoryBudget bounds the journals of all sessions and the state mocks report, together
	// (default DefaultMemoryBudget); the oldest journal entries of the server go first.
	MemoryBudget int64
	// MaxBodyBytes bounds a request body the core reads (default 32 MiB).
	MaxBodyBytes int64
	// Seed makes generated IDs reproducible.
	Seed uint64
	// ValidateResponses checks every response against the API's document and reports a
	// mismatch to OnResponseViolation: the project's own tests turn it on.
	ValidateResponses   bool
	OnResponseViolation func(api, operation string, err error)
	// ClientCertAPIs names the APIs that demand a client certificate over TLS.
	ClientCertAPIs []string
	// CertFiles, when serving TLS, are listed under "tls" by GET /__upmock/credentials.
	CertFiles *CertFiles
	// RealNow is the real clock under every session clock (time.Now by default).
	RealNow func() time.Time
	// StateDir, when set, keeps every session's state there, durable before each answer,
	// and restores it on start (see persist.go). Empty: nothing touches the disk.
	StateDir string
	// ControlToken, when set, is required (Authorization: Bearer) on every /__upmock/
	// request; without one, Listen refuses a non-loopback address.
	ControlToken string
	// AllowHosts are extra names the control API accepts in Host (loopback names, the
	// connection's own address, the machine's name and listen addresses always pass);
	// "*" accepts any.
	AllowHosts []string
	// AllowNonLoopbackCalls lets mocks call out beyond loopback (NACCS webhooks to any
	// host); only the command line sets it, never the control API.
	AllowNonLoopbackCalls bool
	// Conns bounds connections and their timeouts on every listener (zero: the defaults).
	Conns ConnLimits
}

// Server serves every registered API below its base path, sessions under /s/{session}/, the
// control API under /__upmock/ and presigned downloads under /s3/.
type Server struct {
	opts       Options
	apis       map[string]API
	order      []API
	sessions   *sessions
	router     *mux.Router
	certAPIs   map[string]bool
	signSecret []byte
	logger     *slog.Logger
	reports    conformanceReports // the last conformance report per session, for the console
	persist    *persister         // nil without Options.StateDir
	budget     *memoryBudget
	guard      *controlGuard
	conns      *connTracker
}

// NewServer checks every API's document against its handlers and builds the routes.
func NewServer(opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Fixtures == nil {
		opts.Fixtures = fixtures.FS
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 256
	}
	if opts.SessionIdle <= 0 {
		opts.SessionIdle = 30 * time.Minute
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 32 << 20
	}
	if opts.RealNow == nil {
		opts.RealNow = time.Now
	}
	s := &Server{opts: opts, apis: map[string]API{}, certAPIs: map[string]bool{}, logger: opts.Logger,
		guard: newControlGuard(opts.ControlToken, opts.AllowHosts), conns: newConnTracker(opts.Conns)}
	s.signSecret = make([]byte, 32)
	_, _ = rand.Read(s.signSecret)
	if opts.StateDir != "" {
		var err error
		if s.persist, s.signSecret, err = newPersister(opts.StateDir, opts.Logger); err != nil {
			return nil, err
		}
	}
	for _, api := range opts.APIs {
		if _, dup := s.apis[api.Name()]; dup {
			return nil, fmt.Errorf("api %q registered twice", api.Name())
		}
		s.apis[api.Name()] = api
		s.order = append(s.order, api)
	}
	for _, name := range opts.ClientCertAPIs {
		s.certAPIs[name] = true
	}
	s.budget = newMemoryBudget(opts.MemoryBudget, s.stateBytes)
	s.sessions = &sessions{
		byName: map[string]*Session{}, max: opts.MaxSessions, idle: opts.SessionIdle,
		realNow: opts.RealNow, create: s.newSession, logger: opts.Logger,
	}
	// Creating the default session now proves every instance starts and matches its spec.
	if _, err := s.sessions.get(DefaultSession); err != nil {
		return nil, err
	}
	if s.persist != nil {
		s.restore()
	}
	s.router = s.routes()
	return s, nil
}

// APIs lists the served APIs in registration order.
func (s *Server) APIs() []API { return s.order }

// Close stops every session's background work (the listener, if any, is Running's).
func (s *Server) Close() {
	if s.persist != nil {
		s.persist.shutdown()
	}
	s.sessions.closeAll()
}

// Session returns (creating it if needed) the named session, for in-process control.
func (s *Server) Session(name string) (*Session, error) { return s.sessions.get(name) }

func (s *Server) newSession(name string) (*Session, error) {
	clock := NewClock(s.opts.RealNow)
	sess := &Session{
		Name: name, Clock: clock, IDs: NewIDs(sessionSeed(s.opts.Seed, name)),
		Journal: NewJournal(s.opts.JournalSize), Faults: &Faults{},
		Downloads: NewDownloads(clock, s.signSecret),
		instances: map[string]Instance{}, handlers: map[string]map[string]httpHandler{},
		maintenance: map[string]bool{},
	}
	for _, api := range s.order {
		fixtureDir := api.Name()
		if d, ok := api.(FixtureDirer); ok {
			fixtureDir = d.FixtureDir()
		}
		inst, err := api.New(&Env{
			Session: name, Clock: clock, IDs: sess.IDs, Downloads: sess.Downloads, Journal: sess.Journal,
			Logger: s.logger.With("api", api.Name(), "session", name), Fixtures: subFS(s.opts.Fixtures, fixtureDir),
			AllowNonLoopbackCalls: s.opts.AllowNonLoopbackCalls,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", api.Name(), err)
		}
		ops := inst.Operations()
		if err := checkOperations(api, ops); err != nil {
			return nil, err
		}
		sess.instances[api.Name()] = inst
		sess.handlers[api.Name()] = ops
	}
	if s.persist != nil {
		if err := s.persist.attach(sess); err != nil {
			return nil, err
		}
	}
	s.budget.register(sess.Journal)
	return sess, nil
}

// stateBytes sums what every session's mocks report holding (MemoryReporter).
func (s *Server) stateBytes() int64 {
	var n int64
	for _, sess := range s.sessions.all() {
		for _, inst := range sess.instances {
			if m, ok := inst.(MemoryReporter); ok {
				n += m.MemoryBytes()
			}
		}
	}
	return n
}

// MemoryUse reports the server-wide memory budget and what journals and state hold.
func (s *Server) MemoryUse() MemoryUse { return s.budget.use() }

// checkOperations refuses an instance whose handlers and document disagree.
func checkOperations(api API, ops map[string]http.HandlerFunc) error {
	var missing, extra []string
	for _, id := range api.Spec().OperationIDs() {
		if ops[id] == nil {
			missing = append(missing, id)
		}
	}
	for id := range ops {
		if api.Spec().Route(id) == nil {
			extra = append(extra, id)
		}
	}
	if len(missing)+len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("%s: spec and handlers disagree: no handler for %v, no operation for %v", api.Name(), missing, extra)
	}
	return nil
}

// ServeHTTP strips a /s/{session}/ prefix and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	session, prefix := DefaultSession, ""
	if rest, ok := strings.CutPrefix(r.URL.Path, "/s/"); ok {
		name, tail, _ := strings.Cut(rest, "/")
		session, prefix = name, "/s/"+name
		r = r.Clone(r.Context())
		r.URL.Path = "/" + tail
		r.URL.RawPath = ""
	}
	sess, err := s.sessions.get(session)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	rootMounted, _ := r.Context().Value(rootMountKey{}).(bool)
	r = withInfo(r, &requestInfo{session: sess, publicBase: scheme + "://" + r.Host + prefix, rootMounted: rootMounted})
	if api, ok := s.apiFor(r.URL.Path); ok {
		s.serveAPI(api, w, r) // the hot path skips the router's two request copies
		return
	}
	s.router.ServeHTTP(w, r)
}

// controlPrefix is where the control API, the console and the conformance report live.
const controlPrefix = "/__upmock"

// apiFor picks the API whose base path prefixes path, as the router would: the control API
// and downloads first, then the APIs in their registration order.
func (s *Server) apiFor(path string) (API, bool) {
	if strings.HasPrefix(path, controlPrefix) || strings.HasPrefix(path, DownloadsPrefix) {
		return nil, false
	}
	for _, api := range s.order {
		if strings.HasPrefix(path, api.BasePath()) {
			return api, true
		}
	}
	return nil, false
}

func sessionOf(r *http.Request) *Session { return infoOf(r).session }

func (s *Server) routes() *mux.Router {
	// SkipClean: cleaning would redirect /s/x//path to /path, out of the session the prefix
	// named; an unclean path reaches the API, which answers it as its upstream would.
	m := mux.NewRouter().SkipClean(true)
	control := m.PathPrefix(controlPrefix).Subrouter()
	control.Use(s.guard.middleware) // first: nothing runs for a refused request
	if s.persist != nil {
		control.Use(s.persistControl)
	}
	s.controlRoutes(control)
	m.PathPrefix(DownloadsPrefix).HandlerFunc(s.serveDownload)
	for _, api := range s.order {
		api := api
		m.PathPrefix(api.BasePath()).HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveAPI(api, w, r) })
	}
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no mock serves %s; base paths: %s", r.URL.Path, strings.Join(s.basePaths(), ", ")))
	})
	return m
}

func (s *Server) basePaths() []string {
	out := make([]string, 0, len(s.order))
	for _, api := range s.order {
		out = append(out, api.BasePath())
	}
	return out
}

func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sess := sessionOf(r)
	key := strings.TrimPrefix(r.URL.Path, DownloadsPrefix)
	api, _, _ := strings.Cut(key, "/")
	rec := newCapture()
	sess.Downloads.serve(rec, r, key)
	entry := s.newEntry(sess, api, "download", r, nil)
	s.finish(sess, entry, rec, r, start)
	rec.flushTo(w)
}

// serveAPI is the one pipeline every upstream request goes through: faults, routing,
// maintenance, validation against the document, the mock's handler, journal and log.
func (s *Server) serveAPI(api API, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sess := sessionOf(r)
	inst := sess.instances[api.Name()]
	info := infoOf(r)

	body, status, err := readBody(r.Body, s.opts.MaxBodyBytes, r.ContentLength)
	if err != nil {
		writeControlError(w, status, err)
		return
	}
	info.body = body
	sub := strings.TrimPrefix(r.URL.Path, api.BasePath())
	if sub == "" {
		sub = "/"
	}
	route, params, routed := api.Spec().Find(r.Method, sub)
	if routed {
		info.operation = route.Operation.OperationID
	}
	journaled := body
	if red, ok := inst.(BodyRedactor); ok {
		journaled = red.RedactBody(r.Header.Get("Content-Type"), body)
	}
	entry := s.newEntry(sess, api.Name(), info.operation, r, journaled)
	rec := newCapture()
	defer func() {
		if p := recover(); p != nil {
			rec.reset() // dropped: the client got no answer, journaled as status 0
			rec.status = -1
			s.finish(sess, entry, rec, r, start)
			panic(p)
		}
		s.finish(sess, entry, rec, r, start)
	}()

	fault := sess.Faults.Take(api.Name(), r.Method, sub, info.operation)
	if fault != nil {
		entry.Fault = fault.Describe()
	}
	if fault != nil && fault.Phase == PhaseBefore {
		if !sleepCtx(r.Context(), time.Duration(fault.DelayMs)*time.Millisecond) {
			rec.WriteHeader(499) // the client gave up while we were delaying; journal it as nginx does
			return
		}
		if fault.Drop {
			dropConnection()
		}
		if fault.Status != 0 {
			s.writeFault(rec, inst, fault)
			rec.flushTo(w)
			return
		}
	}

	switch {
	case s.certAPIs[api.Name()] && r.TLS != nil && len(r.TLS.PeerCertificates) == 0:
		writeRaw(rec, http.StatusForbidden, "text/plain; charset=utf-8", []byte("client certificate required\n"))
	case !routed:
		inst.Unrouted(rec, r)
	case sess.InMaintenance(api.Name()):
		ct, b := inst.FaultResponse(http.StatusServiceUnavailable)
		writeUpstreamError(rec, inst, http.StatusServiceUnavailable, ct, b)
	default:
		info.violations = api.Spec().check(r.Context(), r, body, route, params, &info.json)
		r.Body = io.NopCloser(bytes.NewReader(body))
		sess.handlers[api.Name()][info.operation](rec, r)
		if s.opts.ValidateResponses && s.opts.OnResponseViolation != nil {
			if err := api.Spec().ValidateResponse(r.Context(), r, route, params, rec.statusOr200(), rec.header, rec.body.Bytes()); err != nil {
				s.opts.OnResponseViolation(api.Name(), info.operation, err)
			}
		}
	}
	if sess.persist != nil {
		s.persistAPI(sess, api.Name(), inst, rec)
	}

	if fault != nil && fault.Phase == PhaseAfter {
		// The request is committed; the client must not learn so.
		sleepCtx(r.Context(), time.Duration(fault.DelayMs)*time.Millisecond)
		if fault.Drop {
			rec.reset()
			dropConnection()
		}
		rec.reset()
		s.writeFault(rec, inst, fault)
	}
	rec.flushTo(w)
}

func (s *Server) writeFault(w http.ResponseWriter, inst Instance, f *Fault) {
	ct, body := inst.FaultResponse(f.Status)
	if f.Body != nil {
		ct, body = f.ContentType, []byte(*f.Body)
		if ct == "" {
			ct = "application/json"
		}
	}
	writeUpstreamError(w, inst, f.Status, ct, body)
}

// writeUpstreamError answers with the upstream's own error: its body and, where it has them,
// its error headers.
func writeUpstreamError(w http.ResponseWriter, inst Instance, status int, contentType string, body []byte) {
	if h, ok := inst.(FaultHeaderer); ok {
		for k, vs := range h.FaultHeaders(status) {
			w.Header()[k] = vs
		}
	}
	writeRaw(w, status, contentType, body)
}

// dropConnection closes the client's connection without an answer; net/http recovers this
// panic silently and closes the connection.
func dropConnection() { panic(http.ErrAbortHandler) }

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) newEntry(sess *Session, api, operation string, r *http.Request, body []byte) *Entry {
	e := &Entry{
		Time: sess.Clock.Now(), API: api, Operation: operation, Method: r.Method,
		Path: r.URL.Path, Query: RedactQuery(r.URL.RawQuery), Headers: RedactHeaders(r.Header),
	}
	e.Body, e.BodyTruncated = Truncate(RedactSecrets(body))
	return e
}

// finish journals and logs the request; it also runs when a dropped connection unwinds.
func (s *Server) finish(sess *Session, e *Entry, rec *capture, r *http.Request, start time.Time) {
	info := infoOf(r)
	e.Status = rec.statusOr200()
	if e.Status < 0 {
		e.Status = 0
	}
	e.ResponseBody, _ = Truncate(RedactSecrets(rec.body.Bytes()))
	for _, v := range info.violations {
		e.SpecViolations = append(e.SpecViolations, v.String())
	}
	e.Annotations = info.takeAnnotations()
	elapsed := time.Since(start)
	e.DurationMs = float64(elapsed.Microseconds()) / 1000
	sess.Journal.Add(*e)
	if s.logger.Enabled(r.Context(), slog.LevelInfo) {
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("session", sess.Name), slog.String("api", e.API),
			slog.String("op", e.Operation), slog.String("method", e.Method), slog.String("path", e.Path),
			slog.Int("status", e.Status), slog.Float64("ms", e.DurationMs), slog.String("fault", e.Fault))
	}
}
