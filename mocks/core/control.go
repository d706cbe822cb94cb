package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
)

// controlRoutes is the /__upmock/ control API's route table; every handler works on the
// request's session.
func (s *Server) controlRoutes(m *mux.Router) {
	m.HandleFunc("/health", s.handleHealth).Methods(http.MethodGet)
	m.HandleFunc("/credentials", s.handleCredentials).Methods(http.MethodGet)
	m.HandleFunc("/requests", s.handleRequests).Methods(http.MethodGet)
	m.HandleFunc("/requests", s.handleClearRequests).Methods(http.MethodDelete)
	m.HandleFunc("/reset", s.handleReset).Methods(http.MethodPost)
	m.HandleFunc("/faults", s.handleListFaults).Methods(http.MethodGet)
	m.HandleFunc("/faults", s.handleAddFault).Methods(http.MethodPost)
	m.HandleFunc("/faults", s.handleClearFaults).Methods(http.MethodDelete)
	m.HandleFunc("/maintenance", s.handleMaintenance).Methods(http.MethodGet, http.MethodPost)
	m.HandleFunc("/clock", s.handleClock).Methods(http.MethodGet, http.MethodPost)
	m.HandleFunc("/specs/{api}", s.handleSpec).Methods(http.MethodGet)
	m.HandleFunc("/state/{api}", s.handleState).Methods(http.MethodGet, http.MethodPut)
	m.HandleFunc("/settings/{api}", s.handleSettings).Methods(http.MethodGet, http.MethodPatch)
	s.consoleRoutes(m)
	m.HandleFunc("/sessions/{name}", s.handleDeleteSession).Methods(http.MethodDelete)
	m.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no control endpoint %s %s; see README: health, credentials, requests, reset, faults, maintenance, clock, specs/{api}, state/{api}, settings/{api}, sessions, sessions/{name}, conformance, ui/", r.Method, r.URL.Path))
	})
	m.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s is not allowed on %s", r.Method, r.URL.Path))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // journal bodies and URLs stay readable: "&", "<" as they are
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		body.Reset()
		body.WriteString(`{"error":"encoding the answer failed"}` + "\n")
	}
	writeRaw(w, status, "application/json", body.Bytes())
}

func writeControlError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// MaxControlBody bounds a control request's JSON body (PUT /__upmock/state takes up to the
// server's MaxBodyBytes).
const MaxControlBody = 1 << 20

// statusError is a control request's failure with the status to answer it with.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }

// controlFailure answers err with its own status, or with status when it has none.
func controlFailure(w http.ResponseWriter, status int, err error) {
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	writeControlError(w, status, err)
}

// controlBody reads a control request's body up to limit.
func controlBody(r *http.Request, limit int64) ([]byte, error) {
	raw, status, err := readBody(r.Body, limit, r.ContentLength)
	if err != nil {
		return nil, &statusError{status, err}
	}
	return raw, nil
}

// decodeControl reads a control request's JSON body strictly, so a typo in a field name is an
// error instead of a silently ignored setting.
func decodeControl(r *http.Request, v any) error { return decodeControlLimit(r, v, MaxControlBody) }

func decodeControlLimit(r *http.Request, v any, limit int64) error {
	raw, err := controlBody(r, limit)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// apiOf resolves the {api} path variable or ?api= query to a served API ("" allowed when optional).
func (s *Server) apiOf(r *http.Request, optional bool) (string, error) {
	name := mux.Vars(r)["api"]
	if name == "" {
		name = r.URL.Query().Get("api")
	}
	if name == "" && optional {
		return "", nil
	}
	if _, ok := s.apis[name]; !ok {
		return "", fmt.Errorf("unknown api %q; served: %v", name, s.apiNames())
	}
	return name, nil
}

func (s *Server) apiNames() []string {
	out := make([]string, 0, len(s.order))
	for _, api := range s.order {
		out = append(out, api.Name())
	}
	return out
}

func (s *Server) apiSet() map[string]bool {
	out := map[string]bool{}
	for name := range s.apis {
		out[name] = true
	}
	return out
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "session": sessionOf(r).Name, "apis": s.apiNames(), "sessions": s.sessions.count(), "memory": s.MemoryUse()})
}

func (s *Server) handleCredentials(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	out := map[string]any{}
	for _, api := range s.order {
		out[api.Name()] = sess.instances[api.Name()].Credentials()
	}
	if s.opts.CertFiles != nil {
		out["tls"] = s.opts.CertFiles
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRequests(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, true)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("limit %q is not a positive number", v))
			return
		}
	}
	entries := sessionOf(r).Journal.List(api, limit)
	if v := r.URL.Query().Get("since"); v != "" {
		seq, err := strconv.ParseInt(v, 10, 64)
		if err != nil || seq < 0 {
			writeControlError(w, http.StatusBadRequest, fmt.Errorf("since %q is not a sequence number", v))
			return
		}
		entries = since(entries, seq)
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": entries})
}

func (s *Server) handleClearRequests(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, true)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	sessionOf(r).Journal.Clear(api)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, true)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	sessionOf(r).Reset(api)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleListFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"faults": sessionOf(r).Faults.List()})
}

func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := decodeControl(r, &f); err != nil {
		controlFailure(w, http.StatusBadRequest, err)
		return
	}
	stored, err := sessionOf(r).Faults.Add(f, s.apiSet())
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusCreated, stored)
}

func (s *Server) handleClearFaults(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, true)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, err)
		return
	}
	sessionOf(r).Faults.Clear(api)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMaintenance(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	if r.Method == http.MethodPost {
		var req struct {
			API     string `json:"api"`
			Enabled *bool  `json:"enabled"`
		}
		if err := decodeControl(r, &req); err != nil {
			controlFailure(w, http.StatusBadRequest, err)
			return
		}
		if _, ok := s.apis[req.API]; !ok || req.Enabled == nil {
			writeControlError(w, http.StatusBadRequest, fmt.Errorf(`give {"api": one of %v, "enabled": true|false}`, s.apiNames()))
			return
		}
		sess.SetMaintenance(req.API, *req.Enabled)
	}
	writeJSON(w, http.StatusOK, sess.maintenanceState())
}

func (s *Server) handleClock(w http.ResponseWriter, r *http.Request) {
	clock := sessionOf(r).Clock
	if r.Method == http.MethodPost {
		var req struct {
			Advance string     `json:"advance"`
			Set     *time.Time `json:"set"`
			Freeze  *bool      `json:"freeze"`
			Reset   bool       `json:"reset"`
		}
		if err := decodeControl(r, &req); err != nil {
			controlFailure(w, http.StatusBadRequest, err)
			return
		}
		if err := applyClock(clock, req.Advance, req.Set, req.Freeze, req.Reset); err != nil {
			writeControlError(w, http.StatusBadRequest, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, clock.State())
}

func applyClock(clock *Clock, advance string, set *time.Time, freeze *bool, reset bool) error {
	if advance == "" && set == nil && freeze == nil && !reset {
		return errors.New(`give one of {"advance":"61s"}, {"set":"2026-11-25T10:00:00Z"}, {"freeze":true|false}, {"reset":true}`)
	}
	var d time.Duration
	if advance != "" {
		var err error
		if d, err = time.ParseDuration(advance); err != nil {
			return fmt.Errorf("advance: %w", err)
		}
	}
	// Check where the clock would end before moving it, so a refused move changes nothing.
	target := clock.Now()
	if reset {
		target = clock.real()
	}
	if set != nil {
		if err := checkClockTime(clock, *set); err != nil {
			return err
		}
		target = *set
	}
	if err := checkClockTime(clock, target.Add(d)); err != nil {
		return err
	}
	if reset {
		clock.Reset()
	}
	if set != nil {
		clock.Set(*set)
	}
	if d != 0 {
		clock.Advance(d)
	}
	if freeze != nil {
		if *freeze {
			clock.Freeze()
		} else {
			clock.Unfreeze()
		}
	}
	return nil
}

// checkClockTime refuses a mock time outside the years 1970–9999 (dates every upstream can
// write), or too far from real time for the clock's offset, a time.Duration, to hold.
func checkClockTime(clock *Clock, t time.Time) error {
	if y := t.Year(); y < 1970 || y > 9999 {
		return fmt.Errorf("clock: %s is outside the years 1970-9999", t.Format(time.RFC3339))
	}
	real := clock.real()
	if !real.Add(t.Sub(real)).Equal(t) {
		return fmt.Errorf("clock: %s is more than 292 years from real time; the clock's offset cannot hold that", t.Format(time.RFC3339))
	}
	return nil
}

func (s *Server) handleSpec(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, false)
	if err != nil {
		writeControlError(w, http.StatusNotFound, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/yaml", s.apis[api].Spec().Raw)
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, false)
	if err != nil {
		writeControlError(w, http.StatusNotFound, err)
		return
	}
	inst := sessionOf(r).instances[api]
	if r.Method == http.MethodPut {
		raw, err := controlBody(r, s.opts.MaxBodyBytes)
		if err == nil {
			err = checkStateBody(raw)
		}
		if err == nil {
			err = inst.SetState(raw)
		}
		if err != nil {
			controlFailure(w, http.StatusBadRequest, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	state, err := inst.State()
	if err != nil {
		writeControlError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, state)
}

// checkStateBody refuses a state that is not a JSON object: null would decode into an empty
// state and silently wipe the API's data.
func checkStateBody(raw []byte) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return errors.New("state must be a JSON object as GET /__upmock/state/{api} returns it, not null, empty or another value")
	}
	return nil
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	api, err := s.apiOf(r, false)
	if err != nil {
		writeControlError(w, http.StatusNotFound, err)
		return
	}
	inst := sessionOf(r).instances[api]
	if r.Method == http.MethodPatch {
		raw, err := controlBody(r, MaxControlBody)
		if err == nil {
			err = inst.PatchSettings(raw)
		}
		if err != nil {
			controlFailure(w, http.StatusBadRequest, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, inst.Settings())
}
