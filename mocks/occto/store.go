package occto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// store is one session's model, guarded by one mutex, reading time from the session clock.
// A submitted file's outcome and plans are applied lazily once due, whenever the model is
// read or written, so they follow the controllable clock without goroutines.
type store struct {
	mu       sync.Mutex
	clock    *core.Clock
	settings Settings

	occto      Receiver
	companies  []Company
	users      map[string]account // by userid
	files      []*File            // submission order
	fileByNo   map[string]*File
	plans      []*Plan // reception-number order
	planByNo   map[string]*Plan
	planByKey  map[planKey]*Plan // company + division + 事業者計画番号
	usage      map[string]*Usage // by company: the current JST day's count
	lastFileNo int64
	lastPlanNo int64
}

type account struct {
	User
	company string
}

type planKey struct{ company, division, submitPlanNo string }

func newStore(clock *core.Clock, settings Settings, state State) (*store, error) {
	s := &store{clock: clock, settings: settings}
	return s, s.load(state)
}

// load replaces the model, refusing inconsistent data.
func (s *store) load(state State) error {
	if state.OCCTO.Code == "" || state.OCCTO.BPIDAgencyCode == "" {
		return errors.New("state: occto needs a code and a bpidAgencyCode")
	}
	users := map[string]account{}
	companies := map[string]bool{}
	for _, c := range state.Companies {
		if !codePattern.MatchString(c.Code) || companies[c.Code] {
			return fmt.Errorf("state: company code %q must be 5 of 0-9 A-Z and unique", c.Code)
		}
		companies[c.Code] = true
		for _, u := range c.Users {
			if u.UserID == "" || u.Password == "" {
				return fmt.Errorf("state: company %s: every user needs a userid and a password", c.Code)
			}
			if _, dup := users[u.UserID]; dup {
				return fmt.Errorf("state: userid %q appears twice", u.UserID)
			}
			users[u.UserID] = account{User: u, company: c.Code}
		}
	}
	next := &store{
		fileByNo: map[string]*File{}, planByNo: map[string]*Plan{}, planByKey: map[planKey]*Plan{},
		usage: map[string]*Usage{},
	}
	for i := range state.Files {
		f := state.Files[i]
		if !companies[f.Company] || next.fileByNo[f.ReceptionNo] != nil || statusNames[f.Status] == "" {
			return fmt.Errorf("state: file %q needs a known company, a unique number and a status", f.ReceptionNo)
		}
		next.files = append(next.files, &f)
		next.fileByNo[f.ReceptionNo] = &f
	}
	for i := range state.Plans {
		p := state.Plans[i]
		key := planKey{p.Company, p.Division, p.SubmitPlanNo}
		if !companies[p.Company] || divisionNames[p.Division] == "" || next.planByNo[p.ReceptionNo] != nil || next.planByKey[key] != nil {
			return fmt.Errorf("state: plan %q needs a known company and division and unique keys", p.ReceptionNo)
		}
		next.plans = append(next.plans, &p)
		next.planByNo[p.ReceptionNo], next.planByKey[key] = &p, &p
	}
	for _, u := range state.Usage {
		u := u
		next.usage[u.Company] = &u
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.occto, s.companies, s.users = state.OCCTO, state.Companies, users
	s.files, s.fileByNo = next.files, next.fileByNo
	s.plans, s.planByNo, s.planByKey = next.plans, next.planByNo, next.planByKey
	s.usage, s.lastFileNo, s.lastPlanNo = next.usage, state.LastFileNo, state.LastPlanNo
	return nil
}

// snapshot is the model as State, with whatever is due applied first.
func (s *store) snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked(s.clock.Now())
	st := State{OCCTO: s.occto, Companies: s.companies, Files: []File{}, Plans: []Plan{}, Usage: []Usage{},
		LastFileNo: s.lastFileNo, LastPlanNo: s.lastPlanNo}
	for _, f := range s.files {
		st.Files = append(st.Files, *f)
	}
	for _, p := range s.plans {
		st.Plans = append(st.Plans, *p)
	}
	for _, c := range s.companies {
		if u := s.usage[c.Code]; u != nil {
			st.Usage = append(st.Usage, *u)
		}
	}
	return st
}

func (s *store) currentSettings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *store) setSettings(v Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = v
}

func (s *store) receiver() Receiver {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.occto
}

// authenticate identifies the caller and counts the call against its company's day. An
// unknown or missing userid cannot be counted (no company is known); every other call is,
// whatever its outcome. The password is judged before the limit.
func (s *store) authenticate(userid, password string) (account, *apiError, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if userid == "" {
		return account{}, &errNoCredentials, "1003 no userid"
	}
	acc, ok := s.users[userid]
	if !ok {
		return account{}, &errUnknownUser, "1001 unknown userid " + userid
	}
	count := s.countLocked(acc.company)
	switch {
	case password == "":
		return account{}, &errNoCredentials, fmt.Sprintf("1003 no password (call %d today)", count)
	case password != acc.Password:
		return account{}, &errWrongPassword, fmt.Sprintf("1002 wrong password (call %d today)", count)
	case count > s.settings.DailyLimit:
		return account{}, &errDailyLimit, fmt.Sprintf("2001 call %d today, limit %d", count, s.settings.DailyLimit)
	}
	return acc, nil, fmt.Sprintf("ok %s/%s (call %d today)", acc.company, userid, count)
}

// countLocked adds one call to the company's count for today (JST, mock clock) and returns
// it; the count starts over at midnight JST.
func (s *store) countLocked(company string) int {
	today := s.clock.Now().In(jst).Format(time.DateOnly)
	u := s.usage[company]
	if u == nil || u.Date != today {
		u = &Usage{Company: company, Date: today}
		s.usage[company] = u
	}
	u.Count++
	return u.Count
}

// usageOf is the company's count today, for tests and the journal.
func (s *store) usageOf(company string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.clock.Now().In(jst).Format(time.DateOnly)
	if u := s.usage[company]; u != nil && u.Date == today {
		return u.Count
	}
	return 0
}

func (s *store) replace(raw []byte) error {
	var state State
	if err := decodeStrict(raw, &state); err != nil {
		return fmt.Errorf("occto state: %w", err)
	}
	return s.load(state)
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
