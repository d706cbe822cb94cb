package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// route is the one call every server answers: ATLAS-Things' shipping-item registration.
const route = "/atlas/v1/shipping/item"

// peer says how to start one server and make it answer route.
type peer struct {
	label string
	// command starts the server listening on 127.0.0.1:port.
	command func(c config, port int) *exec.Cmd
	// setup prepares the running server (stubs, clock) and returns the URL wrk loads and the
	// headers every request carries.
	setup func(ctx context.Context, c config, port int) (target string, headers map[string]string, err error)
}

var peers = map[string]peer{
	"bare": {
		label: "bare net/http handler (204)",
		command: func(_ config, port int) *exec.Cmd {
			self, _ := os.Executable()
			return exec.Command(self, "-bare-server", loopback(port))
		},
		setup: func(context.Context, config, int) (string, map[string]string, error) {
			return "", upmockHeaders(time.Now()), nil
		},
	},
	"upmock": {
		label:   "upmock, full ATLAS call (journal on)",
		command: upmockCommand,
		setup:   upmockSetup,
	},
	"wiremock": {
		label: "WireMock 3.13.2 (default journal)",
		command: func(c config, port int) *exec.Cmd {
			return exec.Command(npmBin(c, "wiremock"), "--port", fmt.Sprint(port), "--bind-address", "127.0.0.1", "--disable-banner")
		},
		setup: wiremockSetup,
	},
	"wiremock-nojournal": {
		label: "WireMock 3.13.2 (--no-request-journal)",
		command: func(c config, port int) *exec.Cmd {
			return exec.Command(npmBin(c, "wiremock"), "--port", fmt.Sprint(port), "--bind-address", "127.0.0.1", "--disable-banner", "--no-request-journal")
		},
		setup: wiremockSetup,
	},
	"prism": {
		label: "Prism 5.14.2 (mock from a one-route document)",
		command: func(c config, port int) *exec.Cmd {
			return exec.Command(npmBin(c, "prism"), "mock", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "--errors", "false", prismDocument(c))
		},
		setup: func(context.Context, config, int) (string, map[string]string, error) {
			return "", upmockHeaders(time.Now()), nil
		},
	},
	"mountebank": {
		label: "Mountebank 2.9.2 (one imposter)",
		command: func(c config, port int) *exec.Cmd {
			return exec.Command(npmBin(c, "mb"), "--port", fmt.Sprint(port), "--host", "127.0.0.1", "--loglevel", "warn", "--nologfile")
		},
		setup: mountebankSetup,
	},
}

func loopback(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

func npmBin(c config, name string) string {
	return filepath.Join(c.cache, "node_modules", ".bin", name)
}

// serveBare is the baseline: read the body, answer 204.
func serveBare(addr string) {
	err := http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// The embedded fixtures' Tokyo key (fixtures/atlas/tenants.json) and the instant the session
// clock is frozen at, so one JWT signed for it stays valid for the whole run.
const (
	atlasAPIKey    = "atlas-key-tokyo-0001"
	atlasAPISecret = "atlas-secret-tokyo-0001-change-me"
	frozenAt       = "2026-11-25T10:00:00Z"
)

func upmockCommand(c config, port int) *exec.Cmd {
	args := []string{"serve", "--listen", loopback(port)}
	args = append(args, strings.Fields(c.upmockFlags)...)
	return exec.Command(filepath.Join(c.cache, "upmock"), args...)
}

// upmockSetup sets and freezes the default session's clock and signs the JWT for that instant.
func upmockSetup(ctx context.Context, _ config, port int) (string, map[string]string, error) {
	base := "http://" + loopback(port)
	for _, body := range []string{`{"set":"` + frozenAt + `"}`, `{"freeze":true}`} {
		if err := post(ctx, base+"/__upmock/clock", body, http.StatusOK); err != nil {
			return "", nil, err
		}
	}
	at, _ := time.Parse(time.RFC3339, frozenAt)
	return "", upmockHeaders(at), nil
}

// upmockHeaders are what a real client sends; the stubs ignore them.
func upmockHeaders(at time.Time) map[string]string {
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"requestDate": at.UTC().Format("2006-01-02T15:04:05Z"),
	}).SignedString([]byte(atlasAPISecret))
	if err != nil {
		panic(err)
	}
	return map[string]string{"X-ATLAS-API-Key": atlasAPIKey, "Authorization": token, "Content-Type": "application/json"}
}

func wiremockSetup(ctx context.Context, _ config, port int) (string, map[string]string, error) {
	stub := `{"request":{"method":"POST","url":"` + route + `"},"response":{"status":204}}`
	err := post(ctx, "http://"+loopback(port)+"/__admin/mappings", stub, http.StatusCreated)
	return "", upmockHeaders(time.Now()), err
}

// mountebankSetup creates an imposter on a second free port; wrk loads that one.
func mountebankSetup(ctx context.Context, _ config, port int) (string, map[string]string, error) {
	imposter, err := freePort()
	if err != nil {
		return "", nil, err
	}
	body, _ := json.Marshal(map[string]any{
		"port": imposter, "protocol": "http", "host": "127.0.0.1",
		"stubs": []any{map[string]any{
			"predicates": []any{map[string]any{"equals": map[string]any{"method": "POST", "path": route}}},
			"responses":  []any{map[string]any{"is": map[string]any{"statusCode": 204}}},
		}},
	})
	if err := post(ctx, "http://"+loopback(port)+"/imposters", string(body), http.StatusCreated); err != nil {
		return "", nil, err
	}
	return "http://" + loopback(imposter), upmockHeaders(time.Now()), nil
}

// prismDocument writes the one-route OpenAPI document Prism mocks.
func prismDocument(c config) string {
	path := filepath.Join(c.cache, "prism-stub.yaml")
	doc := `openapi: 3.0.3
info: {title: stub, version: "1"}
paths:
  ` + route + `:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "204": {description: registered}
`
	_ = os.WriteFile(path, []byte(doc), 0o644)
	return path
}

func post(ctx context.Context, url, body string, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: status %d, want %d: %s", url, resp.StatusCode, want, answer)
	}
	return nil
}
