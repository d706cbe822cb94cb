package core

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Layout of --state-dir:
//
//	server.json                      what every session shares (the download-signing secret)
//	sessions/s-NAME-HASH/snapshot.json  the session's whole image, generation G
//	sessions/s-NAME-HASH/log-G          changes since that snapshot, one framed record each
//
// A change is appended to the log and synced before its answer is sent; when the log grows
// past compactAfterBytes or compactAfterRecords the whole image is written as snapshot G+1
// and a new log begins. A log whose generation is not the snapshot's is stale (a crash hit
// between the two steps) and ignored.
const (
	stateFormat  = "upmock-state/1"
	serverFile   = "server.json"
	sessionsDir  = "sessions"
	snapshotFile = "snapshot.json"
	logPrefix    = "log-"
)

// A log is folded into a new snapshot past either bound (variables so a test can lower them).
var (
	compactAfterBytes   int64 = 4 << 20
	compactAfterRecords       = 500
)

type serverImage struct {
	Format         string `json:"format"`
	DownloadSecret []byte `json:"downloadSecret"`
}

type sessionSnapshot struct {
	Format  string                     `json:"format"`
	Session string                     `json:"session"`
	Gen     uint64                     `json:"gen"`
	Parts   map[string]json.RawMessage `json:"parts"`
}

type logRecord struct {
	Parts map[string]json.RawMessage `json:"parts"`
}

// persister keeps every live session's state under one directory.
type persister struct {
	dir    string
	logger *slog.Logger

	mu      sync.Mutex
	logs    map[string]*sessionLog // the live session's log, by session name
	closing bool
}

// newPersister opens (creating) dir and returns it with the secret presigned download URLs
// are signed with, kept in the directory so URLs handed out before a restart stay valid.
func newPersister(dir string, logger *slog.Logger) (*persister, []byte, error) {
	if err := os.MkdirAll(filepath.Join(dir, sessionsDir), 0o700); err != nil {
		return nil, nil, fmt.Errorf("state dir: %w", err)
	}
	p := &persister{dir: dir, logger: logger, logs: map[string]*sessionLog{}}
	var img serverImage
	raw, err := os.ReadFile(filepath.Join(dir, serverFile))
	switch {
	case err == nil && json.Unmarshal(raw, &img) == nil && img.Format == stateFormat && len(img.DownloadSecret) == 32:
		return p, img.DownloadSecret, nil
	case err == nil:
		logger.Warn("state dir: server.json unreadable; a new download-signing secret replaces it", "dir", dir)
	case !os.IsNotExist(err):
		return nil, nil, fmt.Errorf("state dir: %w", err)
	}
	img = serverImage{Format: stateFormat, DownloadSecret: make([]byte, 32)}
	_, _ = rand.Read(img.DownloadSecret)
	raw, _ = json.Marshal(img)
	if err := writeFileAtomic(dir, serverFile, raw); err != nil {
		return nil, nil, fmt.Errorf("state dir: %w", err)
	}
	return p, img.DownloadSecret, nil
}

// sessionDirName is readable and collision-free on case-insensitive file systems ("A" and
// "a" are distinct sessions) and never "." or "..".
func sessionDirName(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "s-" + name + "-" + hex.EncodeToString(sum[:4])
}

// attach gives a new session its log. Nothing is written until the session first changes:
// an unchanged session is its fixtures, which a restart recreates anyway. A session replaced
// under the same name (idle-expired) loses its old files.
func (p *persister) attach(sess *Session) error {
	l := &sessionLog{p: p, sess: sess, dir: filepath.Join(p.dir, sessionsDir, sessionDirName(sess.Name))}
	if err := l.baseline(); err != nil {
		return fmt.Errorf("state dir: session %s: %w", sess.Name, err)
	}
	p.mu.Lock()
	old := p.logs[sess.Name]
	p.logs[sess.Name] = l
	p.mu.Unlock()
	if old != nil {
		old.retire()
		_ = os.RemoveAll(old.dir)
	}
	sess.persist = l
	return nil
}

// shutdown saves every written session whole (capturing background changes since its last
// record) and stops all writing, leaving the files for the next start.
func (p *persister) shutdown() {
	p.mu.Lock()
	p.closing = true
	logs := make([]*sessionLog, 0, len(p.logs))
	for _, l := range p.logs {
		logs = append(logs, l)
	}
	p.mu.Unlock()
	for _, l := range logs {
		l.mu.Lock()
		if l.log != nil && !l.retired {
			if err := l.compactLocked(); err != nil {
				p.logger.Error("state dir: saving at shutdown failed", "session", l.sess.Name, "err", err)
			}
		}
		l.mu.Unlock()
		l.retire()
	}
}

// sessionLog is one session's durable image: what was last written of each part, and the
// open log the next change is appended to.
type sessionLog struct {
	p    *persister
	sess *Session
	dir  string

	mu        sync.Mutex
	retired   bool
	log       *os.File // nil until the first change, and after a failed write
	gen       uint64
	size      int64
	records   int
	hashes    map[string][sha256.Size]byte
	downloads uint64 // the Downloads version last written
}

// baseline notes the session's parts as they are, so only real changes are written.
func (l *sessionLog) baseline() error {
	l.hashes = map[string][sha256.Size]byte{}
	l.downloads = l.sess.Downloads.changes()
	for _, part := range l.sess.partNames() {
		raw, err := l.sess.exportPart(part)
		if err != nil {
			return err
		}
		l.hashes[part] = sha256.Sum256(raw)
	}
	return nil
}

// commit makes the named parts durable if they changed since last written: one synced log
// record, or a new snapshot when the log is due for compaction. It returns only once the
// change is on disk. Export and append happen under one lock, so the log holds each part's
// versions in the order they were taken and replaying it ends at the newest.
func (l *sessionLog) commit(parts ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.retired {
		return nil // the session was evicted or the server is closing: it has no future
	}
	changed := map[string]json.RawMessage{}
	hashes := map[string][sha256.Size]byte{}
	downloads := l.downloads
	for _, part := range parts {
		if part == partDownloads {
			if downloads = l.sess.Downloads.changes(); downloads == l.downloads {
				continue
			}
		}
		raw, err := l.sess.exportPart(part)
		if err != nil {
			return err
		}
		if h := sha256.Sum256(raw); h != l.hashes[part] {
			changed[part], hashes[part] = raw, h
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if l.log == nil || l.size >= compactAfterBytes || l.records >= compactAfterRecords {
		return l.compactLocked()
	}
	payload, err := json.Marshal(logRecord{Parts: changed})
	if err != nil {
		return err
	}
	rec := frame(payload)
	if _, err := l.log.Write(rec); err != nil {
		l.abandonLogLocked()
		return err
	}
	if err := l.log.Sync(); err != nil {
		l.abandonLogLocked()
		return err
	}
	l.size += int64(len(rec))
	l.records++
	for part, h := range hashes {
		l.hashes[part] = h
	}
	l.downloads = downloads
	return nil
}

// abandonLogLocked drops a log a write failed on (its tail may be torn): the next change
// writes a whole snapshot and a fresh log.
func (l *sessionLog) abandonLogLocked() {
	_ = l.log.Close()
	l.log = nil
}

// compactLocked writes the whole session as snapshot gen+1 and starts log gen+1.
func (l *sessionLog) compactLocked() error {
	snap := sessionSnapshot{Format: stateFormat, Session: l.sess.Name, Gen: l.gen + 1, Parts: map[string]json.RawMessage{}}
	hashes := map[string][sha256.Size]byte{}
	downloads := l.sess.Downloads.changes()
	for _, part := range l.sess.partNames() {
		raw, err := l.sess.exportPart(part)
		if err != nil {
			return err
		}
		snap.Parts[part], hashes[part] = raw, sha256.Sum256(raw)
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if _, err := os.Stat(l.dir); os.IsNotExist(err) {
		if err := os.MkdirAll(l.dir, 0o700); err != nil {
			return err
		}
		if err := syncDir(filepath.Dir(l.dir)); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(l.dir, snapshotFile, raw); err != nil {
		return err
	}
	if l.log != nil {
		_ = l.log.Close()
		l.log = nil
	}
	l.gen, l.hashes, l.downloads = snap.Gen, hashes, downloads
	l.size, l.records = 0, 0
	// The snapshot holds everything: from here a failure only costs the next change a
	// snapshot of its own.
	logName := logPrefix + strconv.FormatUint(l.gen, 10)
	f, err := os.OpenFile(filepath.Join(l.dir, logName), os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil
	}
	if err := syncDir(l.dir); err != nil {
		_ = f.Close()
		return nil
	}
	l.log = f
	removeStaleLogs(l.dir, logName)
	return nil
}

// removeStaleLogs deletes every log but keep, left by earlier generations.
func removeStaleLogs(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if name := e.Name(); name != keep && (strings.HasPrefix(name, logPrefix) || strings.HasPrefix(name, snapshotFile+".tmp-")) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// retire stops the log for good; later commits do nothing.
func (l *sessionLog) retire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.retired = true
	if l.log != nil {
		_ = l.log.Close()
		l.log = nil
	}
}

// drop is the session's end (eviction): its files go too, unless the server is shutting
// down, when they are what the next start restores.
func (l *sessionLog) drop() {
	if l == nil {
		return
	}
	p := l.p
	p.mu.Lock()
	remove := !p.closing && p.logs[l.sess.Name] == l
	if remove {
		delete(p.logs, l.sess.Name)
	}
	p.mu.Unlock()
	l.retire()
	if remove {
		_ = os.RemoveAll(l.dir)
		_ = syncDir(filepath.Dir(l.dir))
	}
}
