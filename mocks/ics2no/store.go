package ics2no

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// State is the ICS2 model, and exactly what GET/PUT /__upmock/state/ics2no exchange: every
// accepted presentation request with its outcome once processed, and every routing signal.
type State struct {
	Requests []Request `json:"requests"`
	Signals  []Signal  `json:"signals"`
	LastSeq  int64     `json:"lastSeq"`
}

// Request is one accepted presentation call.
type Request struct {
	Seq       int64           `json:"seq"`
	RequestID string          `json:"requestId"`
	Org       string          `json:"org"`       // the Customs token's sub
	Operation string          `json:"operation"` // presentHouseConsignment, presentReceptacle, presentEntrySummaryDeclaration
	Body      json.RawMessage `json:"body"`
	Received  time.Time       `json:"received"`
	Due       time.Time       `json:"due"` // when it is processed
	Outcome   *Outcome        `json:"outcome,omitempty"`
}

// Outcome is a processed request: what validation-status answers for it.
type Outcome struct {
	Status              string            `json:"status"`
	NotificationDate    time.Time         `json:"notificationDate"`
	ValidationErrorList []ValidationError `json:"validationErrorList"`
	// Rows are the static list's rows (1-based) the request presented.
	Rows []int `json:"rows,omitempty"`
}

// Signal is one routing signal for a presented house consignment (a static-list row).
type Signal struct {
	Seq       int64     `json:"seq"`
	ID        string    `json:"id"` // routingResult.id, the marker
	Org       string    `json:"org"`
	Row       int       `json:"row"` // 1-based static-list row
	RequestID string    `json:"requestId"`
	IssuedAt  time.Time `json:"issuedAt"` // documentIssueDate; visible from then on
}

// bodyValidator checks a decoded body against the operation's schema in the OpenAPI document.
type bodyValidator func(operationID string, value any) []core.Violation

// store is one session's model, guarded by one mutex, reading time from the session clock.
// Processing is applied lazily whenever the model is read or written, in due order, so it
// follows the controllable clock without goroutines.
type store struct {
	mu       sync.Mutex
	clock    *core.Clock
	ids      *core.IDs
	settings Settings
	list     staticList
	validate bodyValidator
	offices  map[string]bool
	types    map[string]bool

	state     State
	byID      map[string]int // requestIdKey(requestId) → index in state.Requests
	presented map[int]bool   // 0-based rows presented
	pending   int            // requests without an outcome
}

func newStore(clock *core.Clock, ids *core.IDs, settings Settings, list staticList, validate bodyValidator, offices, types map[string]bool) *store {
	s := &store{clock: clock, ids: ids, settings: settings, list: list, validate: validate, offices: offices, types: types}
	_ = s.load(State{})
	return s
}

// load replaces the state and rebuilds the indexes, refusing inconsistent data.
func (s *store) load(state State) error {
	byID := map[string]int{}
	presented := map[int]bool{}
	pending := 0
	for i, r := range state.Requests {
		if r.RequestID == "" || r.Org == "" {
			return errors.New("ics2no state: every request needs a requestId and an org")
		}
		if _, dup := byID[requestIDKey(r.RequestID)]; dup {
			return fmt.Errorf("ics2no state: requestId %s appears twice", r.RequestID)
		}
		byID[requestIDKey(r.RequestID)] = i
		if r.Outcome == nil {
			pending++
			continue
		}
		for _, row := range r.Outcome.Rows {
			if row < 1 || row > len(s.list.rows) {
				return fmt.Errorf("ics2no state: request %s presents row %d; the static list has %d", r.RequestID, row, len(s.list.rows))
			}
			presented[row-1] = true
		}
	}
	for _, sig := range state.Signals {
		if sig.ID == "" || sig.Org == "" || sig.Row < 1 || sig.Row > len(s.list.rows) || s.list.rows[sig.Row-1].Routing == "" {
			return fmt.Errorf("ics2no state: signal %q must name an org and a static-list row with a routing value", sig.ID)
		}
	}
	if state.Requests == nil {
		state.Requests = []Request{}
	}
	if state.Signals == nil {
		state.Signals = []Signal{}
	}
	sortSignals(state.Signals)
	s.state, s.byID, s.presented, s.pending = state, byID, presented, pending
	return nil
}

func sortSignals(sigs []Signal) {
	sort.SliceStable(sigs, func(i, j int) bool {
		if !sigs[i].IssuedAt.Equal(sigs[j].IssuedAt) {
			return sigs[i].IssuedAt.Before(sigs[j].IssuedAt)
		}
		return sigs[i].Seq < sigs[j].Seq
	})
}

func (s *store) replace(state State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(state)
}

// snapshot returns the state after processing what is due.
func (s *store) snapshot() (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	raw, err := json.Marshal(s.state)
	if err != nil {
		return State{}, err
	}
	var copied State
	return copied, json.Unmarshal(raw, &copied)
}

func (s *store) currentSettings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *store) setSettings(settings Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = settings
}

// requestIDKey is how requestIds are compared: UUIDs are case-insensitive (RFC 9562 §4),
// so a used requestId written in other letters is the same requestId.
func requestIDKey(id string) string { return strings.ToLower(id) }

// accept records a presentation call for processing ProcessingDelay later; false when its
// requestId was used before.
func (s *store) accept(org, operation, requestID string, body json.RawMessage) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if _, used := s.byID[requestIDKey(requestID)]; used {
		return false
	}
	now := s.clock.Now()
	s.state.LastSeq++
	s.state.Requests = append(s.state.Requests, Request{
		Seq: s.state.LastSeq, RequestID: requestID, Org: org, Operation: operation, Body: body,
		Received: now, Due: now.Add(s.settings.ProcessingDelay.D()),
	})
	s.byID[requestIDKey(requestID)] = len(s.state.Requests) - 1
	s.pending++
	return true
}

// status is the outcome of the org's request; false while it is processed or unknown.
func (s *store) status(org, requestID string) (ValidationStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	i, ok := s.byID[requestIDKey(requestID)]
	if !ok || s.state.Requests[i].Org != org || s.state.Requests[i].Outcome == nil {
		return ValidationStatus{}, false
	}
	r := s.state.Requests[i]
	return ValidationStatus{
		Status: r.Outcome.Status, RequestID: r.RequestID,
		NotificationDate:    r.Outcome.NotificationDate.UTC().Format(isoSeconds),
		ValidationErrorList: nonNil(r.Outcome.ValidationErrorList),
	}, true
}

func nonNil(list []ValidationError) []ValidationError {
	if list == nil {
		return []ValidationError{}
	}
	return list
}

var errUnknownMarker = errors.New("unknown marker")

// routing returns the org's signals issued after marker ("" for the first), oldest first,
// at most RoutingPageSize of them.
func (s *store) routing(org, marker string) ([]HouseConsignmentRouting, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	now := s.clock.Now()
	var visible []Signal
	for _, sig := range s.state.Signals {
		if sig.Org == org && !sig.IssuedAt.After(now) {
			visible = append(visible, sig)
		}
	}
	start := 0
	if marker != "" {
		start = -1
		for i, sig := range visible {
			if sig.ID == marker {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, errUnknownMarker
		}
	}
	end := min(start+s.settings.RoutingPageSize, len(visible))
	out := make([]HouseConsignmentRouting, 0, end-start)
	for _, sig := range visible[start:end] {
		out = append(out, s.entry(sig))
	}
	return out, nil
}

// entry renders a signal as the routing answer shows it.
func (s *store) entry(sig Signal) HouseConsignmentRouting {
	row := s.list.rows[sig.Row-1]
	e := HouseConsignmentRouting{
		EntrySummaryDeclarationMRN:  row.MRN,
		TransportDocumentHouseLevel: RoutingReference{ReferenceNumber: row.DocumentNumber, Type: row.Type},
		RoutingResult:               RoutingResult{ID: sig.ID, Routing: row.Routing, DocumentIssueDate: sig.IssuedAt.UTC().Format(isoSeconds)},
	}
	if row.ContainerID != "" {
		e.TransportEquipment = []TransportEquipment{{ContainerIdentificationNumber: row.ContainerID}}
	}
	return e
}

// applyDueLocked processes the requests whose time has come, in due order (ties in arrival
// order). A request that finds nothing pending costs one comparison.
func (s *store) applyDueLocked() {
	if s.pending == 0 {
		return
	}
	now := s.clock.Now()
	var due []int
	for i, r := range s.state.Requests {
		if r.Outcome == nil && !r.Due.After(now) {
			due = append(due, i)
		}
	}
	sort.SliceStable(due, func(a, b int) bool {
		ra, rb := s.state.Requests[due[a]], s.state.Requests[due[b]]
		if !ra.Due.Equal(rb.Due) {
			return ra.Due.Before(rb.Due)
		}
		return ra.Seq < rb.Seq
	})
	for _, i := range due {
		s.processLocked(&s.state.Requests[i])
		s.pending--
	}
}

// processLocked validates a request as the service does once it is due: the body against
// the document, the office against CL141, the references against the static list, and the
// goods against what was presented before. A good request presents its rows and issues the
// routing signals the static list holds for them.
func (s *store) processLocked(r *Request) {
	rows, errs := s.checkLocked(r)
	out := &Outcome{NotificationDate: r.Due, ValidationErrorList: errs}
	r.Outcome = out
	if len(errs) > 0 {
		out.Status = StatusFailure
		return
	}
	out.Status = StatusSuccess
	issued := false
	for _, i := range rows {
		s.presented[i] = true
		out.Rows = append(out.Rows, i+1)
		if s.list.rows[i].Routing == "" {
			continue
		}
		s.state.LastSeq++
		s.state.Signals = append(s.state.Signals, Signal{
			Seq: s.state.LastSeq, ID: s.ids.UUID(), Org: r.Org, Row: i + 1, RequestID: r.RequestID,
			IssuedAt: r.Due.Add(s.settings.RoutingDelay.D()),
		})
		issued = true
	}
	if issued {
		sortSignals(s.state.Signals)
	}
}
