package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/fixtures"
)

// childStateDir, set in the environment, makes this test binary serve with --state-dir, so
// the SIGKILL test kills a real process without building the command first.
const childStateDir = "UPMOCK_TEST_CHILD_STATE_DIR"
const childListen = "UPMOCK_TEST_CHILD_LISTEN"

func TestStateDirChildProcess(t *testing.T) {
	dir := os.Getenv(childStateDir)
	if dir == "" {
		return // only ever run as TestStateDirSurvivesSIGKILL's child
	}
	err := run(context.Background(), []string{"serve", "--listen", os.Getenv(childListen), "--state-dir", dir}, os.Stdout, os.Stderr)
	fmt.Fprintln(os.Stderr, "upmock:", err)
	os.Exit(2)
}

// child is one run of upmock serve --state-dir in its own process.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr string // the file its log goes to
}

func startChild(t *testing.T, dir, listen string, n int) *child {
	t.Helper()
	c := &child{stderr: filepath.Join(t.TempDir(), fmt.Sprintf("stderr-%d.log", n))}
	errFile, err := os.Create(c.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestStateDirChildProcess$")
	c.cmd.Env = append(os.Environ(), childStateDir+"="+dir, childListen+"="+listen)
	c.cmd.Stderr = errFile
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		var seen bytes.Buffer
		buf := make([]byte, 4096)
		for {
			n, err := stdout.Read(buf)
			seen.Write(buf[:n])
			if m := readyURL.FindStringSubmatch(seen.String()); m != nil {
				ready <- m[1]
				_, _ = io.Copy(io.Discard, stdout)
				return
			}
			if err != nil {
				close(ready)
				return
			}
		}
	}()
	select {
	case u, ok := <-ready:
		if !ok {
			log, _ := os.ReadFile(c.stderr)
			t.Fatalf("upmock --state-dir ended before it was ready:\n%s", log)
		}
		c.url = u
	case <-time.After(60 * time.Second):
		t.Fatal("upmock --state-dir not ready within 60 s")
	}
	return c
}

// kill is the crash: SIGKILL, no chance to save anything.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

// ledger is what upmock answered with success, and the one write in flight when it died,
// which may or may not have been applied (its answer never came).
type ledger struct {
	naccsTokens  []string // issued to cp-tokyo-admin in the default session
	naccsUnsure  int      // token requests cut off by a kill
	jtis         []string // Maskinporten grants accepted in the default session
	occtoLimit   int      // ci-1's OCCTO dailyLimit as last answered
	occtoUnsure  int      // a value sent when the process died, or 0
	jaiaToken    string   // ci-1's newest JAIA login
	jaiaUnsure   bool
	advances     int // seconds ci-1's clock was advanced, answered
	advUnsure    int
	customsToken string // obtained once, must outlive every restart
}

// TestStateDirSurvivesSIGKILL streams accepted writes to several APIs in two sessions, kills
// the process at a random moment, restarts it on the same state dir and checks that every
// write answered with success is there and nothing is half-written; three times over.
func TestStateDirSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	listen := freeLoopbackAddr(t)
	key, err := ics2noclient.ParsePrivateKey(readFixture(t, "ics2no/client/test-client-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	l := &ledger{occtoLimit: 1000}
	c := startChild(t, dir, listen, 0)
	base := c.url
	baseline := len(naccsTokens(t, base))
	jti := 0
	grant := func() (string, string) {
		jti++
		id := fmt.Sprintf("statedir-jti-%d", jti)
		mp, err := ics2noclient.New(ics2noclient.Config{
			MaskinportenURL: base + "/maskinporten", BaseURL: base + "/ics2no", ClientID: "2f5c8a1e-7b3d-4c9e-a6f0-1d2e3f4a5b6c",
			Key: key, KID: "upmock-ics2no-test-client-1", NewJTI: func() string { return id },
		})
		if err != nil {
			t.Fatal(err)
		}
		g, err := mp.Grant()
		if err != nil {
			t.Fatal(err)
		}
		return id, g
	}
	// One Customs token before any crash: it must be accepted after each restart.
	_, g := grant()
	mpToken := mustPostForToken(t, base+"/maskinporten/token", url.Values{"grant_type": {ics2noclient.GrantType}, "assertion": {g}})
	l.customsToken = mustPostForToken(t, base+"/ics2no"+ics2noclient.ExchangePath, url.Values{
		"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {mpToken},
	})

	for round := 1; round <= 3; round++ {
		stop := time.After(time.Duration(150+rand.IntN(350)) * time.Millisecond)
		writes := 0
	stream:
		for i := 0; ; i++ {
			select {
			case <-stop:
				break stream
			default:
			}
			// Each step sends one write and notes it only once answered with success.
			switch i % 5 {
			case 0:
				if tok, ok := postForToken(base+"/naccs/Token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"cp-tokyo-admin"}, "client_secret": {"cp-secret-tokyo-admin-change-me"}}); ok {
					l.naccsTokens = append(l.naccsTokens, tok)
				} else {
					t.Fatalf("round %d: a NACCS token was refused before the kill", round)
				}
			case 1:
				v := l.occtoLimit + 1
				if status, _ := callUpmock(http.MethodPatch, base+"/s/ci-1/__upmock/settings/occto", fmt.Sprintf(`{"dailyLimit":%d}`, v)); status == http.StatusOK {
					l.occtoLimit = v
				} else {
					t.Fatalf("round %d: PATCH settings/occto answered %d", round, status)
				}
			case 2:
				status, body := callUpmock(http.MethodPost, base+"/s/ci-1/jaia/auth", `{"appId":"EXTERNAL","userMail":"test@jaia.jp","password":"password"}`)
				var ans struct{ Metadata struct{ CriptToken string } }
				if status != http.StatusOK || json.Unmarshal(body, &ans) != nil || ans.Metadata.CriptToken == "" {
					t.Fatalf("round %d: JAIA login answered %d %s", round, status, body)
				}
				l.jaiaToken = ans.Metadata.CriptToken
			case 3:
				if status, _ := callUpmock(http.MethodPost, base+"/s/ci-1/__upmock/clock", `{"advance":"1s"}`); status == http.StatusOK {
					l.advances++
				} else {
					t.Fatalf("round %d: clock advance answered %d", round, status)
				}
			case 4:
				id, g := grant()
				if _, ok := postForToken(base+"/maskinporten/token", url.Values{"grant_type": {ics2noclient.GrantType}, "assertion": {g}}); ok {
					l.jtis = append(l.jtis, id)
				} else {
					t.Fatalf("round %d: a Maskinporten grant was refused before the kill", round)
				}
			}
			writes++
		}
		// The kill lands while the next write is in flight: send it, kill at a random
		// instant of its handling, and accept either outcome for it.
		inFlight := make(chan struct{})
		op := writes % 5
		go func() {
			defer close(inFlight)
			switch op {
			case 0:
				_, _ = postForToken(base+"/naccs/Token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"cp-tokyo-admin"}, "client_secret": {"cp-secret-tokyo-admin-change-me"}})
			case 1:
				_, _ = callUpmock(http.MethodPatch, base+"/s/ci-1/__upmock/settings/occto", fmt.Sprintf(`{"dailyLimit":%d}`, l.occtoLimit+1))
			case 2:
				_, _ = callUpmock(http.MethodPost, base+"/s/ci-1/jaia/auth", `{"appId":"EXTERNAL","userMail":"test@jaia.jp","password":"password"}`)
			case 3:
				_, _ = callUpmock(http.MethodPost, base+"/s/ci-1/__upmock/clock", `{"advance":"1s"}`)
			case 4:
				_, g := grant()
				_, _ = postForToken(base+"/maskinporten/token", url.Values{"grant_type": {ics2noclient.GrantType}, "assertion": {g}})
			}
		}()
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		c.kill(t)
		<-inFlight
		switch op {
		case 0:
			l.naccsUnsure++
		case 1:
			l.occtoUnsure = l.occtoLimit + 1
		case 2:
			l.jaiaUnsure = true
		case 3:
			l.advUnsure = 1
		}

		c = startChild(t, dir, listen, round)
		if c.url != base {
			t.Fatalf("restarted on %s, not %s", c.url, base)
		}
		t.Logf("round %d: %d writes answered before the kill", round, writes)
		l.check(t, base, baseline, c)
	}

	// Quiet now: every API's state in both sessions must come back byte for byte, which
	// checks each mock's export and import, not only the parts written above.
	before := allAPIStates(t, base)
	c.kill(t)
	c = startChild(t, dir, listen, 99)
	after := allAPIStates(t, base)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed across a quiet restart:\nbefore %s\nafter  %s", k, clip([]byte(v)), clip([]byte(after[k])))
		}
	}
}

// check compares the restarted server with the ledger and adopts the outcome of the write
// that was in flight.
func (l *ledger) check(t *testing.T, base string, baseline int, c *child) {
	t.Helper()
	tokens := naccsTokens(t, base)
	for _, tok := range l.naccsTokens {
		if !slices.Contains(tokens, tok) {
			t.Errorf("NACCS token %s… was answered but is gone after the restart", tok[:8])
		}
	}
	if max := baseline + len(l.naccsTokens) + l.naccsUnsure; len(tokens) > max {
		t.Errorf("%d NACCS tokens after the restart; at most %d were ever requested", len(tokens), max)
	}
	if len(l.naccsTokens) > 0 {
		last := l.naccsTokens[len(l.naccsTokens)-1]
		if status, _ := callUpmock(http.MethodGet, base+"/naccs/API/v1/NACCS/BusinessCodes", "", "Authorization", "Bearer "+last); status != http.StatusOK {
			t.Errorf("a NACCS token issued before the restart answers %d", status)
		}
	}

	var mp struct {
		UsedJTIs []struct {
			JTI string `json:"jti"`
		} `json:"usedJtis"`
	}
	getUpmockJSON(t, base+"/__upmock/state/maskinporten", &mp)
	for _, id := range l.jtis {
		if !slices.ContainsFunc(mp.UsedJTIs, func(u struct {
			JTI string `json:"jti"`
		}) bool {
			return u.JTI == "jti:"+id // the mock keys grants by kind
		}) {
			t.Errorf("Maskinporten grant %s was accepted but its jti is forgotten after the restart", id)
		}
	}
	if status, _ := callUpmock(http.MethodGet, base+"/ics2no/api/movement/routing/v1/house-consignment", "", "Authorization", "Bearer "+l.customsToken); status == http.StatusUnauthorized {
		t.Errorf("a Customs token issued before the restart is refused")
	}
	if status, _ := callUpmock(http.MethodGet, base+"/ics2no/api/movement/routing/v1/house-consignment", "", "Authorization", "Bearer "+l.customsToken+"x"); status != http.StatusUnauthorized {
		t.Errorf("a tampered Customs token answers %d, want 401 (the check above could not fail)", status)
	}

	var occto struct{ DailyLimit int }
	getUpmockJSON(t, base+"/s/ci-1/__upmock/settings/occto", &occto)
	switch {
	case occto.DailyLimit == l.occtoLimit:
	case l.occtoUnsure != 0 && occto.DailyLimit == l.occtoUnsure:
		l.occtoLimit = l.occtoUnsure
	default:
		t.Errorf("OCCTO dailyLimit %d after the restart; last answered %d (in flight: %d)", occto.DailyLimit, l.occtoLimit, l.occtoUnsure)
	}
	l.occtoUnsure = 0

	var jaia struct {
		Sessions map[string]struct{ Token string }
	}
	getUpmockJSON(t, base+"/s/ci-1/__upmock/state/jaia", &jaia)
	if got := jaia.Sessions["1001000001"].Token; got != l.jaiaToken {
		if !l.jaiaUnsure || got == "" {
			t.Errorf("JAIA login token %q after the restart; the last answered was %q", got, l.jaiaToken)
		}
		l.jaiaToken = got
	}
	l.jaiaUnsure = false

	var clock struct{ Offset string }
	getUpmockJSON(t, base+"/s/ci-1/__upmock/clock", &clock)
	offset, err := time.ParseDuration(clock.Offset)
	if err != nil {
		t.Fatalf("clock offset %q: %v", clock.Offset, err)
	}
	seconds := int(offset.Round(time.Second) / time.Second)
	if seconds < l.advances || seconds > l.advances+l.advUnsure {
		t.Errorf("ci-1's clock is %ds ahead after the restart; %d advances of 1s were answered (in flight: %d)", seconds, l.advances, l.advUnsure)
	}
	l.advances, l.advUnsure = seconds, 0

	log, _ := os.ReadFile(c.stderr)
	if strings.Contains(string(log), "not restored") || strings.Contains(string(log), "not (fully) restored") || strings.Contains(string(log), "session skipped") {
		t.Errorf("the restart lost part of the state:\n%s", log)
	}
	allAPIStates(t, base) // every part parses
}

// allAPIStates reads every API's state and settings in both sessions, failing on anything that
// is not JSON.
func allAPIStates(t *testing.T, base string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, session := range []string{"", "/s/ci-1"} {
		for _, api := range []string{"atlas", "jaia", "occto", "maskinporten", "ics2no", "naccs"} {
			for _, kind := range []string{"state", "settings"} {
				status, body := callUpmock(http.MethodGet, base+session+"/__upmock/"+kind+"/"+api, "")
				if status != http.StatusOK || !json.Valid(body) {
					t.Fatalf("%s%s %s: %d %s", session, api, kind, status, clip(body))
				}
				out[session+" "+kind+"/"+api] = string(body)
			}
		}
	}
	return out
}

func naccsTokens(t *testing.T, base string) []string {
	t.Helper()
	var st struct {
		Tokens []struct{ AccessToken string }
	}
	getUpmockJSON(t, base+"/__upmock/state/naccs", &st)
	out := make([]string, 0, len(st.Tokens))
	for _, tok := range st.Tokens {
		out = append(out, tok.AccessToken)
	}
	return out
}

func getUpmockJSON(t *testing.T, u string, v any) {
	t.Helper()
	status, body := callUpmock(http.MethodGet, u, "")
	if status != http.StatusOK || json.Unmarshal(body, v) != nil {
		t.Fatalf("GET %s: %d %s", u, status, clip(body))
	}
}

// callUpmock is one request on a fresh connection (a killed server's pooled connections are
// dead); status 0 means no answer.
func callUpmock(method, u, body string, header ...string) (int, []byte) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil
	}
	return res.StatusCode, data
}

func postForToken(u string, form url.Values) (string, bool) {
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := client.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	var ans struct {
		AccessToken string `json:"access_token"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&ans) != nil || ans.AccessToken == "" {
		return "", false
	}
	return ans.AccessToken, true
}

func mustPostForToken(t *testing.T, u string, form url.Values) string {
	t.Helper()
	tok, ok := postForToken(u, form)
	if !ok {
		t.Fatalf("POST %s refused %v", u, form.Get("grant_type"))
	}
	return tok
}

// freeLoopbackAddr picks a port for every run of the child: the same address after each
// restart, as a real restart has (tokens name their issuer's URL).
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := fs.ReadFile(fixtures.FS, name)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
