package naccs

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// store is one session's model: state plus indexes, guarded by one mutex, reading time from
// the session clock. NACCS processing is applied lazily whenever the model is read or
// written, and by the instance's delivery worker, in due-time order, so it follows the
// controllable clock.
type store struct {
	mu       sync.Mutex
	clock    *core.Clock
	ids      *core.IDs
	cat      *Catalogue
	settings Settings
	state    State

	orgs    map[string]*Organization
	clients map[string]*APIClient
	deals   map[string]*Deal
	reports map[string]*Report
	sends   map[string]*Send
	tokens  map[string]*Token
}

func newStore(clock *core.Clock, ids *core.IDs, cat *Catalogue, settings Settings, state State) (*store, error) {
	s := &store{clock: clock, ids: ids, cat: cat, settings: settings}
	return s, s.load(state)
}

// load replaces the state and rebuilds the indexes, refusing inconsistent data.
func (s *store) load(state State) error {
	orgs, clients, deals := map[string]*Organization{}, map[string]*APIClient{}, map[string]*Deal{}
	reports, sends, tokens := map[string]*Report{}, map[string]*Send{}, map[string]*Token{}
	for _, o := range state.Organizations {
		if o == nil || o.OrganizationID == "" || o.SigningSecret == "" || orgs[o.OrganizationID] != nil {
			return errors.New("state: every organization needs a unique organizationId and a signingSecret")
		}
		orgs[o.OrganizationID] = o
	}
	for _, c := range state.Clients {
		if c == nil || c.ClientID == "" || c.ClientSecret == "" || orgs[c.OrganizationID] == nil || clients[c.ClientID] != nil {
			return errors.New("state: every client needs a unique clientId, a clientSecret and a known organizationId")
		}
		clients[c.ClientID] = c
	}
	for _, d := range state.Deals {
		if d == nil || d.DealNo == "" || deals[d.DealNo] != nil {
			return errors.New("state: every deal needs a unique dealNo")
		}
		for _, p := range d.Participants {
			if orgs[p.OrganizationID] == nil {
				return fmt.Errorf("state: deal %s: unknown organization %s", d.DealNo, p.OrganizationID)
			}
		}
		deals[d.DealNo] = d
	}
	for _, r := range state.Reports {
		b, ok := s.cat.Lookup(r.BusinessCode)
		if !ok || b.Code != r.BusinessCode || deals[r.DealNo] == nil || orgs[r.OrganizationID] == nil || reports[r.DealReportID] != nil || r.ETag == "" {
			return fmt.Errorf("state: report %q needs a unique id, an _etag, a catalogue business code, a known deal and organization", r.DealReportID)
		}
		fields := make(map[string]*string, len(b.Fields()))
		for _, f := range b.Fields() {
			fields[f.Name] = r.Fields[f.Name]
		}
		r.Fields = fields
		if r.Status == "" {
			r.Status = statusNotSent
		}
		reports[r.DealReportID] = r
	}
	for _, sd := range state.Sends {
		if sd == nil || reports[sd.DealReportID] == nil || sends[sd.NaccsSendID] != nil {
			return errors.New("state: every send needs a unique naccsSendId and a known report")
		}
		if _, ok := s.cat.Lookup(sd.BusinessCode); !ok {
			return fmt.Errorf("state: send %s: unknown business code %s", sd.NaccsSendID, sd.BusinessCode)
		}
		sends[sd.NaccsSendID] = sd
	}
	for _, t := range state.Tokens {
		if t == nil || clients[t.ClientID] == nil {
			return errors.New("state: every token needs a known clientId")
		}
		tokens[t.AccessToken] = t
	}
	for _, d := range state.Deliveries {
		if d == nil || d.DeliveryID == "" || orgs[d.OrganizationID] == nil {
			return errors.New("state: every delivery needs a deliveryId and a known organizationId")
		}
		if d.State == "" {
			d.State = deliveryPending
		}
	}
	if state.Naccs.Counters == nil {
		state.Naccs.Counters = map[string]int64{}
	}
	if state.Naccs.Registries == nil {
		state.Naccs.Registries = map[string][]*RegistryRecord{}
	}
	for name, recs := range state.Naccs.Registries {
		for _, rec := range recs {
			if rec == nil || rec.Key == "" {
				return fmt.Errorf("state: registry %s: every record needs a key", name)
			}
			if rec.Fields == nil {
				rec.Fields = map[string]string{}
			}
		}
	}
	sort.SliceStable(state.Sends, func(i, j int) bool { return state.Sends[i].Due.Before(state.Sends[j].Due) })
	s.state, s.orgs, s.clients, s.deals = state, orgs, clients, deals
	s.reports, s.sends, s.tokens = reports, sends, tokens
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

// newETag is a fresh _etag: CyberPort's _etag is Azure Cosmos DB's system property, a
// quoted-free GUID-like string here.
func (s *store) newETag() string { return s.ids.UUID() }

// owned returns the report for a client of its organisation and the business of the route
// (an alias reaches its business), or the error CyberPort answers.
func (s *store) ownedLocked(c *APIClient, b *Business, id string) (*Report, *apiError) {
	r := s.reports[id]
	if r == nil || r.BusinessCode != b.Code {
		return nil, errReportNotFound
	}
	if r.OrganizationID != c.OrganizationID {
		return nil, errNotOwner
	}
	return r, nil
}

// now is the session clock.
func (s *store) now() time.Time { return s.clock.Now() }
