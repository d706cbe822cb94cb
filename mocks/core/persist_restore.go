package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// savedSession is a session as read back from its directory: the snapshot with its log
// replayed over it.
type savedSession struct {
	dir      string
	name     string
	gen      uint64
	parts    map[string]json.RawMessage
	modified time.Time
}

// load reads every saved session, oldest first. Damage never stops a start: a torn log tail
// is cut off with a warning, an unreadable session is skipped with one.
func (p *persister) load() []savedSession {
	root := filepath.Join(p.dir, sessionsDir)
	entries, err := os.ReadDir(root)
	if err != nil {
		p.logger.Warn("state dir: sessions unreadable; starting empty", "err", err)
		return nil
	}
	var out []savedSession
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		saved, err := p.loadSession(filepath.Join(root, e.Name()))
		if err != nil {
			p.logger.Warn("state dir: session skipped", "dir", e.Name(), "err", err)
			continue
		}
		if saved != nil {
			out = append(out, *saved)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].modified.Before(out[j].modified) })
	return out
}

// loadSession reads one session directory; nil when it holds no snapshot (a crash came
// before the session's first snapshot was in place, so nothing of it was ever acknowledged).
func (p *persister) loadSession(dir string) (*savedSession, error) {
	raw, err := os.ReadFile(filepath.Join(dir, snapshotFile))
	if os.IsNotExist(err) {
		_ = os.RemoveAll(dir)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var snap sessionSnapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if snap.Format != stateFormat {
		return nil, fmt.Errorf("snapshot format %q, want %q", snap.Format, stateFormat)
	}
	if !sessionName.MatchString(snap.Session) || filepath.Base(dir) != sessionDirName(snap.Session) {
		return nil, fmt.Errorf("snapshot names session %q, which does not belong in %s", snap.Session, filepath.Base(dir))
	}
	saved := &savedSession{dir: dir, name: snap.Session, gen: snap.Gen, parts: snap.Parts}
	if saved.parts == nil {
		saved.parts = map[string]json.RawMessage{}
	}
	if info, err := os.Stat(filepath.Join(dir, snapshotFile)); err == nil {
		saved.modified = info.ModTime()
	}
	logPath := filepath.Join(dir, logPrefix+strconv.FormatUint(snap.Gen, 10))
	data, err := os.ReadFile(logPath)
	if os.IsNotExist(err) {
		return saved, nil
	}
	if err != nil {
		return nil, err
	}
	records, good, bad := readRecords(bytes.NewReader(data))
	for i, payload := range records {
		var rec logRecord
		if err := json.Unmarshal(payload, &rec); err != nil {
			// A record that passed its checksum but is not ours: treat it as the tail.
			bad, good = fmt.Errorf("record %d: %w", i+1, err), recordsSize(records[:i])
			break
		}
		for part, v := range rec.Parts {
			saved.parts[part] = v
		}
	}
	if bad != nil {
		p.logger.Warn("state dir: the session's log ends in a torn or corrupt record; cutting it off there (that change was never acknowledged)",
			"session", snap.Session, "err", bad, "kept_bytes", good, "dropped_bytes", int64(len(data))-good)
		if err := os.Truncate(logPath, good); err != nil {
			p.logger.Warn("state dir: truncating the log failed", "session", snap.Session, "err", err)
		}
	}
	if info, err := os.Stat(logPath); err == nil && info.ModTime().After(saved.modified) {
		saved.modified = info.ModTime()
	}
	return saved, nil
}

func recordsSize(records [][]byte) int64 {
	var n int64
	for _, r := range records {
		n += int64(recordHeader + len(r))
	}
	return n
}

// restore recreates every saved session and writes each back as one fresh snapshot, which
// also drops what a torn tail or an earlier generation left behind.
func (s *Server) restore() {
	for _, saved := range s.persist.load() {
		sess, err := s.sessions.get(saved.name)
		if err != nil {
			s.logger.Warn("state dir: session not restored", "session", saved.name, "err", err)
			continue
		}
		for _, part := range sess.partNames() {
			raw, ok := saved.parts[part]
			if !ok {
				continue
			}
			if err := sess.importPart(part, raw); err != nil {
				s.logger.Warn("state dir: part of a session not (fully) restored; what failed starts from the fixtures", "session", saved.name, "part", part, "err", err)
			}
			delete(saved.parts, part)
		}
		for part := range saved.parts {
			s.logger.Warn("state dir: saved part has no place in this server (API not served?); ignored", "session", saved.name, "part", part)
		}
		l := sess.persist
		l.mu.Lock()
		l.gen = saved.gen
		err = l.compactLocked()
		l.mu.Unlock()
		if err != nil {
			s.logger.Warn("state dir: rewriting the restored session failed", "session", saved.name, "err", err)
		}
		s.logger.Info("state dir: session restored", "session", saved.name)
	}
}
