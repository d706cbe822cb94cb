package jaia

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// record is one row of a master: column name (snake_case) → stored value. Dates are kept as
// the API takes them (YYYYMMDD / YYYYMM), audit times as "2006/01/02 15:04:05.000".
type record map[string]string

func (r record) deleted() bool { return r["delete_date"] != "" }

func (r record) clone() record {
	c := make(record, len(r))
	for k, v := range r {
		c[k] = v
	}
	return c
}

// table is one master's rows in insertion order, indexed by key (deleted rows included: a
// deleted key stays reserved, NOTES.md A-33).
type table struct {
	rows  []record
	index map[string]int
}

func (t *table) get(key string) record {
	if i, ok := t.index[key]; ok {
		return t.rows[i]
	}
	return nil
}

func (t *table) put(keyCol string, r record) {
	if i, ok := t.index[r[keyCol]]; ok {
		t.rows[i] = r
		return
	}
	t.index[r[keyCol]] = len(t.rows)
	t.rows = append(t.rows, r)
}

// session is a logged-in user's token and the last call that slid its idle window.
type session struct {
	Token    string    `json:"token"`
	LastSeen time.Time `json:"lastSeen"`
}

// State is the model as GET/PUT /__upmock/state/jaia show it.
type State struct {
	Masters   map[string][]record `json:"masters"`
	Passwords map[string]string   `json:"passwords"`
	Sessions  map[string]session  `json:"sessions"`
}

// store holds one session's JAIA data behind one mutex.
type store struct {
	mu        sync.Mutex
	cat       *Catalogue
	clock     *core.Clock
	ids       *core.IDs
	tables    map[string]*table
	passwords map[string]string
	sessions  map[string]*session
	hits      map[string][]time.Time // rate-limit window per userId
}

func newStore(cat *Catalogue, clock *core.Clock, ids *core.IDs) *store {
	return &store{cat: cat, clock: clock, ids: ids}
}

const auditLayout = "2006/01/02 15:04:05.000"

// replace installs a state, checking every master is known.
func (s *store) replace(st State) error {
	tables := map[string]*table{}
	for _, m := range s.cat.Masters {
		t := &table{index: map[string]int{}}
		for _, r := range st.Masters[m.Name] {
			if r[m.keyColumn()] == "" {
				return fmt.Errorf("jaia state: %s row without %s", m.Name, m.keyColumn())
			}
			t.put(m.keyColumn(), r.clone())
		}
		tables[m.Name] = t
	}
	for name := range st.Masters {
		if s.cat.Master(name) == nil {
			return fmt.Errorf("jaia state: unknown master %q", name)
		}
	}
	sessions := map[string]*session{}
	for id, sess := range st.Sessions {
		c := sess
		sessions[id] = &c
	}
	passwords := map[string]string{}
	for k, v := range st.Passwords {
		passwords[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tables, s.passwords, s.sessions, s.hits = tables, passwords, sessions, map[string][]time.Time{}
	return nil
}

func (s *store) snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Masters: map[string][]record{}, Passwords: map[string]string{}, Sessions: map[string]session{}}
	for name, t := range s.tables {
		rows := make([]record, len(t.rows))
		for i, r := range t.rows {
			rows[i] = r.clone()
		}
		st.Masters[name] = rows
	}
	for k, v := range s.passwords {
		st.Passwords[k] = v
	}
	for k, v := range s.sessions {
		st.Sessions[k] = *v
	}
	return st
}

// seedState builds the start state from seed.json: companies and users as the create APIs
// would store them (audit columns by the system, NOTES.md "Fixtures").
func seedState(cat *Catalogue, raw []byte, now time.Time) (State, error) {
	var seed struct {
		Companies []map[string]string `json:"companies"`
		Users     []map[string]string `json:"users"`
	}
	if err := json.Unmarshal(raw, &seed); err != nil {
		return State{}, fmt.Errorf("jaia fixtures: seed.json: %w", err)
	}
	st := State{Masters: map[string][]record{}, Passwords: map[string]string{}, Sessions: map[string]session{}}
	stamp := now.Format(auditLayout)
	conv := func(in map[string]string) record {
		r := record{}
		keys := make([]string, 0, len(in))
		for k := range in {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != "password" && in[k] != "" {
				r[snake(k)] = in[k]
			}
		}
		for _, c := range []string{"create", "update"} {
			r[c+"_user"], r[c+"_date"], r[c+"_pgid"] = "SYSTEM", stamp, "SEED"
		}
		return r
	}
	for _, c := range seed.Companies {
		st.Masters["company"] = append(st.Masters["company"], conv(c))
	}
	for _, u := range seed.Users {
		r := conv(u)
		r["login_error_count"] = "0"
		st.Masters["user"] = append(st.Masters["user"], r)
		st.Passwords[u["userId"]] = u["password"]
	}
	return st, nil
}
