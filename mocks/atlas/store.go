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

	keys    map[string]keyInfo // by API key
	tenants map[string]*tenantIndex
	rate    map[string]rateWindow // by API key
}

type keyInfo struct {
	APIKey
	tenant *Tenant
}

// tenantIndex makes the tenant's lookups O(1); rebuilt from State on load.
type tenantIndex struct {
	transactions map[string]bool
	live         map[recordKey]bool
	uids         map[string]string // uid → active trackingId
	inactive     map[string]bool   // trackingIds inactivated
}

type recordKey struct{ kind, slip, trackingID string }

type rateWindow struct {
	start time.Time
	count int
}

func newStore(clock *core.Clock, ids *core.IDs, settings Settings, state State) (*store, error) {
	s := &store{clock: clock, ids: ids, settings: settings}
	return s, s.load(state)
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
		idx := &tenantIndex{transactions: map[string]bool{}, live: map[recordKey]bool{}, uids: map[string]string{}, inactive: map[string]bool{}}
		for _, id := range t.TransactionIDs {
			idx.transactions[id] = true
		}
		for _, r := range t.Records {
			idx.live[recordKey{r.Kind, r.MovementSlipNo, r.Item.TrackingID}] = true
			idx.uids[r.Item.UID] = r.Item.TrackingID
		}
		for _, in := range t.Inactivations {
			idx.inactive[in.TrackingID] = true
		}
		tenants[t.TenantID] = idx
	}
	s.state, s.keys, s.tenants, s.rate = state, keys, tenants, map[string]rateWindow{}
	return nil
}

// snapshot returns the state as JSON-ready data, after applying what is due.
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
// come, oldest first.
func (s *store) applyDueLocked() {
	now := s.clock.Now()
	for _, t := range s.state.Tenants {
		idx := s.tenants[t.TenantID]
		for {
			pi, si := firstDue(t.Pending, now), firstScheduled(t.Scheduled, now)
			switch {
			case pi < 0 && si < 0:
				goto next
			case si < 0 || (pi >= 0 && !t.Scheduled[si].At.Before(t.Pending[pi].Due)):
				p := t.Pending[pi]
				t.Pending = append(t.Pending[:pi], t.Pending[pi+1:]...)
				s.applyLocked(t, idx, p)
			default:
				in := t.Scheduled[si]
				t.Scheduled = append(t.Scheduled[:si], t.Scheduled[si+1:]...)
				s.inactivateLocked(t, idx, in.TrackingID, reasonElapsedDays, in.At)
			}
		}
	next:
	}
}

func firstDue(pending []Pending, now time.Time) int {
	best := -1
	for i, p := range pending {
		if !p.Due.After(now) && (best < 0 || p.Due.Before(pending[best].Due)) {
			best = i
		}
	}
	return best
}

func firstScheduled(list []Inactivation, now time.Time) int {
	best := -1
	for i, in := range list {
		if !in.At.After(now) && (best < 0 || in.At.Before(list[best].At)) {
			best = i
		}
	}
	return best
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
