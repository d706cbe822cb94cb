package atlas

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

// store is one session's model: state plus indexes, guarded by one mutex, reading time from
// the session clock. Asynchronous work (registrations, automatic inactivation) is applied
// lazily whenever the model is read or written, in due-time order, so it follows the
// controllable clock without goroutines.
type store struct {
	mu       sync.Mutex
	clock    *core.Clock
	ids      *core.IDs
	settings Settings
	state    State
	// mem holds the accepted logs' large buffers, partly outside the Go heap (bufPool).
	mem *bufPool
	// accepted holds each tenant's transactionIds and pending registrations, which the
	// State's arrays hold only at the boundary (load, snapshot).
	accepted map[*Tenant]*acceptedLog

	keys    map[string]keyInfo // by API key
	tenants map[string]*tenantIndex
	rate    map[string]rateWindow // by API key
	// lastAccepted is the newest accepted registration, whose values the next one shares.
	lastAccepted RegistrationRequest
}

type keyInfo struct {
	APIKey
	tenant *Tenant
}

// tenantIndex makes the tenant's lookups O(1); rebuilt from State on load.
type tenantIndex struct {
	live     map[recordKey]bool
	uids     map[string]string // uid → active trackingId
	inactive map[string]bool   // trackingIds inactivated
	// slipOwner is the base that registered a slip first, per kind (errorCode 202);
	// received marks slip+base pairs with receiving registered (errorCode 201).
	slipOwner map[kindSlip]string
	received  map[[2]string]bool
}

type kindSlip struct{ kind, slip string }

type recordKey struct{ kind, slip, trackingID string }

type rateWindow struct {
	start time.Time
	count int
}

func newStore(clock *core.Clock, ids *core.IDs, settings Settings, state State) (*store, error) {
	s := &store{clock: clock, ids: ids, settings: settings, mem: newBufPool()}
	releaseWhenUnreachable(s, s.mem)
	return s, s.load(state)
}

// close gives back what the accepted logs hold (the session is gone); a request still in
// flight finds them empty.
func (s *store) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.accepted {
		l.free()
	}
	s.mem.release()
}

// load replaces the state and rebuilds the indexes, refusing inconsistent data.
func (s *store) load(state State) error {
	keys := map[string]keyInfo{}
	tenants := map[string]*tenantIndex{}
	for _, t := range state.Tenants {
		if t == nil || t.TenantID == "" {
			return errors.New("state: every tenant needs a tenantId")
		}
		bases := map[string]bool{}
		for _, b := range t.Bases {
			bases[b.BaseID] = true
		}
		for _, k := range t.APIKeys {
			if k.APIKey == "" || k.APISecret == "" || !bases[k.BaseID] {
				return fmt.Errorf("state: tenant %s: api key %q needs a secret and one of the tenant's bases", t.TenantID, k.APIKey)
			}
			if _, dup := keys[k.APIKey]; dup {
				return fmt.Errorf("state: api key %q appears twice", k.APIKey)
			}
			keys[k.APIKey] = keyInfo{APIKey: k, tenant: t}
		}
		idx := &tenantIndex{
			live: map[recordKey]bool{}, uids: map[string]string{}, inactive: map[string]bool{},
			slipOwner: map[kindSlip]string{}, received: map[[2]string]bool{},
		}
		for _, r := range t.Records {
			idx.live[recordKey{r.Kind, r.MovementSlipNo, r.Item.TrackingID}] = true
			idx.uids[r.Item.UID] = r.Item.TrackingID
			idx.noteRecord(r)
		}
		sortByDue(t)
		for _, in := range t.Inactivations {
			idx.inactive[in.TrackingID] = true
		}
		tenants[t.TenantID] = idx
	}
	for _, l := range s.accepted {
		l.free()
	}
	accepted := make(map[*Tenant]*acceptedLog, len(state.Tenants))
	for _, t := range state.Tenants {
		l := newAcceptedLog(s.mem)
		l.loadFrom(t)
		t.TransactionIDs, t.Pending = nil, nil
		accepted[t] = l
	}
	s.state, s.keys, s.tenants, s.rate, s.accepted = state, keys, tenants, map[string]rateWindow{}, accepted
	s.lastAccepted = RegistrationRequest{}
	return nil
}

// snapshot returns the state as JSON-ready data, after applying what is due.
func (s *store) snapshot() (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	out := State{Tenants: s.state.Tenants}
	if out.Tenants != nil {
		out.Tenants = make([]*Tenant, len(s.state.Tenants))
		for i, t := range s.state.Tenants {
			c := *t
			s.accepted[t].exportTo(&c)
			out.Tenants[i] = &c
		}
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return State{}, err
	}
	var copied State
	return copied, json.Unmarshal(raw, &copied)
}

// credentials lists the API keys without exporting the state (which holds every accepted
// transactionId).
func (s *store) credentials() []Credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Credential{}
	for _, t := range s.state.Tenants {
		names := map[string]string{}
		for _, b := range t.Bases {
			names[b.BaseID] = b.Name
		}
		for _, k := range t.APIKeys {
			out = append(out, Credential{k.APIKey, k.APISecret, t.TenantID, k.BaseID, names[k.BaseID]})
		}
	}
	return out
}

func (s *store) replace(state State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(state)
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

// lookupKey finds an API key.
func (s *store) lookupKey(apiKey string) (keyInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[apiKey]
	return k, ok
}

// allow counts a call against the key's per-minute window on the mock clock.
func (s *store) allow(apiKey string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.settings.RateLimitPerMinute
	if limit == 0 {
		return true
	}
	now := s.clock.Now()
	w := s.rate[apiKey]
	if now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		w = rateWindow{start: now}
	}
	w.count++
	s.rate[apiKey] = w
	return w.count <= limit
}

// applyDueLocked applies pending registrations and scheduled inactivations whose time has
// come, oldest first. Both queues are kept sorted by time, so a request that finds nothing
// due costs two comparisons per tenant however much is pending.
func (s *store) applyDueLocked() {
	now := s.clock.Now()
	for _, t := range s.state.Tenants {
		idx, queue := s.tenants[t.TenantID], &s.accepted[t].queue
		for {
			next := queue.head()
			pendingDue := next != nil && !next.due.After(now)
			scheduledDue := len(t.Scheduled) > 0 && !t.Scheduled[0].At.After(now)
			switch {
			case pendingDue && (!scheduledDue || !t.Scheduled[0].At.Before(next.due)):
				s.applyLocked(t, idx, queue.pop())
			case scheduledDue:
				in := t.Scheduled[0]
				t.Scheduled = t.Scheduled[1:]
				s.inactivateLocked(t, idx, in.TrackingID, reasonElapsedDays, in.At)
			default:
				goto next
			}
		}
	next:
	}
}

// sortByDue orders a loaded tenant's queues, which a PUT of the state may give in any order.
func sortByDue(t *Tenant) {
	sort.SliceStable(t.Pending, func(i, j int) bool { return t.Pending[i].Due.Before(t.Pending[j].Due) })
	sort.SliceStable(t.Scheduled, func(i, j int) bool { return t.Scheduled[i].At.Before(t.Scheduled[j].At) })
}

// insertScheduled keeps Scheduled sorted by time.
func insertScheduled(t *Tenant, in Inactivation) {
	i := sort.Search(len(t.Scheduled), func(i int) bool { return t.Scheduled[i].At.After(in.At) })
	t.Scheduled = append(t.Scheduled, Inactivation{})
	copy(t.Scheduled[i+1:], t.Scheduled[i:])
	t.Scheduled[i] = in
}

// noteRecord indexes an applied record for the 201 and 202 checks.
func (idx *tenantIndex) noteRecord(r Record) {
	if _, ok := idx.slipOwner[kindSlip{r.Kind, r.MovementSlipNo}]; !ok {
		idx.slipOwner[kindSlip{r.Kind, r.MovementSlipNo}] = r.BaseID
	}
	if r.Kind == kindReceiving {
		idx.received[[2]string{r.MovementSlipNo, r.BaseID}] = true
	}
}

func (s *store) inactivateLocked(t *Tenant, idx *tenantIndex, trackingID, reason string, at time.Time) {
	t.LastSeq++
	t.Inactivations = append(t.Inactivations, Inactivation{Seq: t.LastSeq, TrackingID: trackingID, ReasonCd: reason, At: at})
	idx.inactive[trackingID] = true
	for uid, id := range idx.uids {
		if id == trackingID {
			delete(idx.uids, uid)
		}
	}
}

// liveRecords returns the tenant's records of kind in sequence order.
func liveRecords(t *Tenant, kind string) []Record {
	var out []Record
	for _, r := range t.Records {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

func lastSegment(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return parts[len(parts)-1]
}
