package core_test

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// A server that is never closed stands for one that crashed right after answering: a second
// server on the same state dir must find every change the first one acknowledged.

func TestStateDirRestoresEveryAcknowledgedChangeOfEverySession(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, core.Options{StateDir: dir})
	var downloadURL string
	for _, session := range []string{"", "ci-1"} {
		base := sessionURL(first, session)
		expect(t, call(t, nil, "POST", base+"/fake/v1/things", `{"name":"k`+session+`"}`), http.StatusCreated)
		expect(t, call(t, nil, "PATCH", base+"/__upmock/settings/other", `{"pageSize":7}`), http.StatusOK)
		expect(t, call(t, nil, "POST", base+"/__upmock/maintenance", `{"api":"other","enabled":true}`), http.StatusOK)
		expect(t, call(t, nil, "POST", base+"/__upmock/faults", `{"api":"fake","path":"/things/9*","status":500,"count":3}`), http.StatusCreated)
		expect(t, call(t, nil, "POST", base+"/__upmock/clock", `{"set":"2031-01-02T03:04:05Z","freeze":true}`), http.StatusOK)
		res := call(t, nil, "GET", base+"/fake/v1/things/1/export", "")
		expect(t, res, http.StatusOK)
		downloadURL = decode[struct{ URL string }](t, res).URL
	}

	second := startServer(t, core.Options{StateDir: dir})
	downloadURL = strings.Replace(downloadURL, first.URL(), second.URL(), 1)
	for _, session := range []string{"", "ci-1"} {
		base := sessionURL(second, session)
		state := decode[struct{ Things map[string]string }](t, call(t, nil, "GET", base+"/__upmock/state/fake", ""))
		if state.Things["3"] != "k"+session {
			t.Errorf("session %q: things after restart %v, want 3: %q", session, state.Things, "k"+session)
		}
		if got := decode[map[string]int](t, call(t, nil, "GET", base+"/__upmock/settings/other", "")); got["pageSize"] != 7 {
			t.Errorf("session %q: settings after restart %v", session, got)
		}
		if got := decode[map[string]bool](t, call(t, nil, "GET", base+"/__upmock/maintenance", "")); !got["other"] || got["fake"] {
			t.Errorf("session %q: maintenance after restart %v", session, got)
		}
		faults := decode[struct{ Faults []core.Fault }](t, call(t, nil, "GET", base+"/__upmock/faults", "")).Faults
		if len(faults) != 1 || faults[0].Remaining != 3 {
			t.Fatalf("session %q: faults after restart %+v", session, faults)
		}
		expect(t, call(t, nil, "GET", base+"/fake/v1/things/99", ""), http.StatusInternalServerError) // the fault still matches
		clock := decode[core.ClockState](t, call(t, nil, "GET", base+"/__upmock/clock", ""))
		// Set, then frozen a moment later: the frozen instant is a hair past the one set.
		if at := clock.Now.Sub(time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)); !clock.Frozen || at < 0 || at > time.Second {
			t.Errorf("session %q: clock after restart %+v", session, clock)
		}
	}
	// The URL was presigned by the first process: the secret and the file both survived.
	res := call(t, nil, "GET", downloadURL, "")
	if res.status != http.StatusOK || string(res.body) != "thing 1: one" {
		t.Errorf("download presigned before the restart: %s", res)
	}
}

func TestStateDirCutsATornLogTailWithAWarning(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, core.Options{StateDir: dir})
	for _, name := range []string{"a", "b", "c"} {
		expect(t, call(t, nil, "POST", first.URL()+"/fake/v1/things", `{"name":"`+name+`"}`), http.StatusCreated)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "sessions", "*", "log-*"))
	if len(logs) != 1 {
		t.Fatalf("want one log, found %v", logs)
	}
	before, err := os.ReadFile(logs[0])
	if err != nil || len(before) == 0 {
		t.Fatalf("log %s: %v (%d bytes): the first change should be a snapshot, later ones records", logs[0], err, len(before))
	}
	// A record cut short by the crash: its header promises more than was written.
	torn := binary.LittleEndian.AppendUint32(nil, 400)
	torn = binary.LittleEndian.AppendUint32(torn, 0xdeadbeef)
	torn = append(torn, `{"parts":{"api:fake":{"sta`...)
	appendFile(t, logs[0], torn)

	logFile, err := os.Create(filepath.Join(t.TempDir(), "upmock.log")) // an *os.File takes concurrent writes
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	second := startServer(t, core.Options{StateDir: dir, Logger: slog.New(slog.NewTextHandler(logFile, nil))})
	logged, _ := os.ReadFile(logFile.Name())
	state := decode[struct{ Things map[string]string }](t, call(t, nil, "GET", second.URL()+"/__upmock/state/fake", ""))
	for id, name := range map[string]string{"3": "a", "4": "b", "5": "c"} {
		if state.Things[id] != name {
			t.Errorf("things after a torn tail: %v, want %s: %s", state.Things, id, name)
		}
	}
	if !strings.Contains(string(logged), "level=WARN") || !strings.Contains(string(logged), "cut short") {
		t.Errorf("no warning about the torn tail; log:\n%s", logged)
	}
	// The restore folded everything into a new snapshot: the torn bytes are gone.
	after, _ := filepath.Glob(filepath.Join(dir, "sessions", "*", "log-*"))
	for _, l := range after {
		if raw, _ := os.ReadFile(l); bytes.Contains(raw, []byte(`"sta`)) && !bytes.Contains(raw, []byte(`"state"`)) {
			t.Errorf("%s still holds the torn record", l)
		}
	}
	if len(after) != 1 || after[0] == logs[0] {
		t.Errorf("logs after the restore %v, want one new generation replacing %s", after, logs[0])
	}

	// Garbage with a checksum that fails is cut off the same way.
	appendFile(t, after[0], bytes.Repeat([]byte{0xff}, 64))
	third := startServer(t, core.Options{StateDir: dir})
	state = decode[struct{ Things map[string]string }](t, call(t, nil, "GET", third.URL()+"/__upmock/state/fake", ""))
	if len(state.Things) != 5 {
		t.Errorf("things after garbage at the tail: %v", state.Things)
	}
}

func TestStateDirFoldsTheLogIntoSnapshots(t *testing.T) {
	defer core.SetCompactAfterRecords(3)()
	dir := t.TempDir()
	first := startServer(t, core.Options{StateDir: dir})
	for i := 0; i < 11; i++ {
		expect(t, call(t, nil, "POST", first.URL()+"/fake/v1/things", `{"name":"n"}`), http.StatusCreated)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "sessions", "*", "log-*"))
	if len(logs) != 1 || strings.HasSuffix(logs[0], "log-1") {
		t.Errorf("logs %v: want one, of a generation past the first", logs)
	}
	second := startServer(t, core.Options{StateDir: dir})
	state := decode[struct {
		Things map[string]string
		Posts  int
	}](t, call(t, nil, "GET", second.URL()+"/__upmock/state/fake", ""))
	if state.Posts != 11 || len(state.Things) != 13 {
		t.Errorf("after compactions: %d posts, %d things; want 11, 13", state.Posts, len(state.Things))
	}
}

func TestStateDirForgetsEvictedAndDeletedSessionsAndKeepsUnchangedOnesOffDisk(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, core.Options{StateDir: dir, MaxSessions: 2})
	expect(t, call(t, nil, "GET", srv.URL()+"/s/reader/fake/v1/things/1", ""), http.StatusOK)
	if dirs := sessionDirs(t, dir); len(dirs) != 0 {
		t.Fatalf("reads wrote session files: %v", dirs)
	}
	expect(t, call(t, nil, "POST", srv.URL()+"/s/first/fake/v1/things", `{"name":"x"}`), http.StatusCreated)
	if dirs := sessionDirs(t, dir); len(dirs) != 1 || !strings.HasPrefix(dirs[0], "s-first-") {
		t.Fatalf("session dirs %v, want first's", dirs)
	}
	expect(t, call(t, nil, "POST", srv.URL()+"/s/second/fake/v1/things", `{"name":"y"}`), http.StatusCreated)
	if dirs := sessionDirs(t, dir); len(dirs) != 1 || !strings.HasPrefix(dirs[0], "s-second-") {
		t.Fatalf("session dirs %v, want only second's: first was evicted", dirs)
	}
	expect(t, call(t, nil, "DELETE", srv.URL()+"/__upmock/sessions/second", ""), http.StatusNoContent)
	if dirs := sessionDirs(t, dir); len(dirs) != 0 {
		t.Fatalf("session dirs %v after DELETE /__upmock/sessions/second", dirs)
	}
}

func TestStateDirAnswers500WhenTheChangeCannotBeSaved(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, core.Options{StateDir: dir})
	// A file where the sessions directory belongs: unlike permissions, it stops root too.
	if err := os.RemoveAll(filepath.Join(dir, "sessions")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sessions"), []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := call(t, nil, "POST", srv.URL()+"/fake/v1/things", `{"name":"lost"}`)
	if res.status != http.StatusInternalServerError || !strings.Contains(string(res.body), `"fake":"fault"`) {
		t.Errorf("a change that could not be saved answered %s; want the upstream's 500", res)
	}
	res = call(t, nil, "POST", srv.URL()+"/__upmock/maintenance", `{"api":"fake","enabled":true}`)
	if res.status != http.StatusInternalServerError || !strings.Contains(string(res.body), "could not be saved") {
		t.Errorf("a control change that could not be saved answered %s", res)
	}
}

func sessionDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "sessions"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func appendFile(t *testing.T, path string, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, fs.ModePerm)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
}
