package core

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sync"
	"time"
)

// DefaultSession is the session reached by URLs without a /s/{session}/ prefix.
const DefaultSession = "default"

var sessionName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Session is one isolated copy of every mock: state, journal, faults, maintenance switches
// and clock of its own.
type Session struct {
	Name      string
	Clock     *Clock
	IDs       *IDs
	Journal   *Journal
	Faults    *Faults
	Downloads *Downloads

	instances map[string]Instance
	handlers  map[string]map[string]httpHandler

	persist *sessionLog // nil without --state-dir

	mu          sync.Mutex
	maintenance map[string]bool
	lastUsed    time.Time // real time, for idle eviction
}

// Instance returns the session's copy of api, or nil.
func (s *Session) Instance(api string) Instance { return s.instances[api] }

// AddFault arms a fault in this session, checking it names one of the session's APIs.
func (s *Session) AddFault(f Fault) (Fault, error) {
	apis := make(map[string]bool, len(s.instances))
	for name := range s.instances {
		apis[name] = true
	}
	return s.Faults.Add(f, apis)
}

// SetMaintenance switches api's maintenance mode.
func (s *Session) SetMaintenance(api string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintenance[api] = on
}

// InMaintenance reports api's maintenance mode.
func (s *Session) InMaintenance(api string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maintenance[api]
}

func (s *Session) maintenanceState() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]bool, len(s.instances))
	for api := range s.instances {
		out[api] = s.maintenance[api]
	}
	return out
}

// Reset returns api ("" for all) to its start: state, journal, faults, maintenance; a full
// reset also returns the clock and the ID generator.
func (s *Session) Reset(api string) {
	for name, inst := range s.instances {
		if api == "" || api == name {
			inst.Reset()
			s.SetMaintenance(name, false)
		}
	}
	s.Journal.Clear(api)
	s.Faults.Clear(api)
	if api == "" {
		s.Clock.Reset()
		s.IDs.Reset()
		s.Downloads.Reset()
	}
}

// close stops the instances' background work; the session is not used afterwards.
func (s *Session) close() {
	s.persist.drop()
	s.Journal.releaseBudget()
	for _, inst := range s.instances {
		if c, ok := inst.(Closer); ok {
			c.Close()
		}
	}
}

// sessions is the bounded set of live sessions.
type sessions struct {
	mu      sync.Mutex
	byName  map[string]*Session
	max     int
	idle    time.Duration
	realNow func() time.Time
	create  func(name string) (*Session, error)
	logger  *slog.Logger
}

// get returns the named session, creating it and evicting the longest-idle one beyond the
// bound. The default session is never evicted.
func (ss *sessions) get(name string) (*Session, error) {
	// "." and ".." would name the directory above a session's in a path built from the
	// name, and read as path steps in URLs.
	if !sessionName.MatchString(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("session name %q: use 1-64 characters of A-Z a-z 0-9 . _ -, not . or ..", name)
	}
	now := ss.realNow()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s, ok := ss.byName[name]; ok && (name == DefaultSession || now.Sub(s.lastUsed) <= ss.idle) {
		s.lastUsed = now
		return s, nil
	}
	var evicted []*Session
	defer func() {
		for _, s := range evicted {
			s.close()
		}
	}()
	// An idle-expired session starts afresh, as if eviction had run the moment it expired.
	if old, ok := ss.byName[name]; ok {
		delete(ss.byName, name)
		evicted = append(evicted, old)
	}
	evicted = append(evicted, ss.evictLocked(now)...)
	s, err := ss.create(name)
	if err != nil {
		return nil, err
	}
	s.lastUsed = now
	ss.byName[name] = s
	return s, nil
}

// evictLocked drops sessions idle too long, then the longest idle while at the bound, and
// returns them for closing once the lock is released.
func (ss *sessions) evictLocked(now time.Time) (evicted []*Session) {
	for name, s := range ss.byName {
		if name != DefaultSession && now.Sub(s.lastUsed) > ss.idle {
			delete(ss.byName, name)
			evicted = append(evicted, s)
			ss.logger.Info("session evicted", "session", name, "reason", "idle")
		}
	}
	for len(ss.byName) >= ss.max {
		oldest := ""
		for name, s := range ss.byName {
			if name != DefaultSession && (oldest == "" || s.lastUsed.Before(ss.byName[oldest].lastUsed)) {
				oldest = name
			}
		}
		if oldest == "" {
			return evicted
		}
		evicted = append(evicted, ss.byName[oldest])
		delete(ss.byName, oldest)
		ss.logger.Info("session evicted", "session", oldest, "reason", "max-sessions")
	}
	return evicted
}

// closeAll closes every session, for server shutdown.
func (ss *sessions) closeAll() {
	ss.mu.Lock()
	all := make([]*Session, 0, len(ss.byName))
	for _, s := range ss.byName {
		all = append(all, s)
	}
	ss.byName = map[string]*Session{}
	ss.mu.Unlock()
	for _, s := range all {
		s.close()
	}
}

// all lists the live sessions.
func (ss *sessions) all() []*Session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]*Session, 0, len(ss.byName))
	for _, s := range ss.byName {
		out = append(out, s)
	}
	return out
}

func (ss *sessions) count() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.byName)
}

// sessionSeed derives a stable seed per session name, so a session's IDs do not depend on the
// order sessions were created in.
func sessionSeed(base uint64, name string) uint64 {
	sum := sha256.Sum256([]byte(name))
	var x uint64
	for _, b := range sum[:8] {
		x = x<<8 | uint64(b)
	}
	return base ^ x
}

func subFS(fsys fs.FS, dir string) fs.FS {
	if fsys == nil {
		return nil
	}
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil
	}
	return sub
}

// remove drops the named session and closes it; false when no such session is live.
func (ss *sessions) remove(name string) bool {
	ss.mu.Lock()
	s, ok := ss.byName[name]
	delete(ss.byName, name)
	ss.mu.Unlock()
	if ok {
		s.close()
		ss.logger.Info("session deleted", "session", name)
	}
	return ok
}
