package mocks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
	"github.com/upmock/upmock/internal/browser"
	"github.com/upmock/upmock/mocks"
)

// TestConsoleInBrowser drives the web console in headless Chromium the way a developer would:
// an ATLAS registration refused for an expired JWT shows as a 401 row noted 801, and the
// clock advanced from the page moves the session's mock clock. Screenshots of the journal
// and the timeline go to the test's artifact directory (go test -artifacts).
func TestConsoleInBrowser(t *testing.T) {
	ctx := browser.New(t)
	srv, err := mocks.Start(mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	session := srv.URL() + "/s/console-test"

	var creds struct {
		Atlas struct {
			APIKeys []struct{ APIKey, APISecret string }
		}
	}
	getJSON(t, session+"/__upmock/credentials", &creds)
	key := creds.Atlas.APIKeys[0]
	stale := time.Now().UTC().Add(-2 * time.Minute).Format("2006-01-02T15:04:05Z")
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"requestDate": stale}).SignedString([]byte(key.APISecret))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, session+"/atlas/v1/shipping/item", strings.NewReader(`{}`))
	req.Header.Set("X-ATLAS-API-Key", key.APIKey)
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("registration with a JWT dated %s: %d, want 401", stale, res.StatusCode)
	}

	// A retried registration for the timeline: two 503s, then success, 1 s and 2 s apart on
	// the mock clock.
	postJSON(t, session+"/__upmock/faults", `{"api":"atlas","path":"/shipping/item","status":503,"count":2}`)
	for i, wait := range []string{"1s", "2s", ""} {
		fresh, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"requestDate": time.Now().UTC().Format("2006-01-02T15:04:05Z")}).SignedString([]byte(key.APISecret))
		req, _ := http.NewRequest(http.MethodPost, session+"/atlas/v1/shipping/item", strings.NewReader(`{}`))
		req.Header.Set("X-ATLAS-API-Key", key.APIKey)
		req.Header.Set("Authorization", fresh)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := []int{503, 503, 400}[i]; res.StatusCode != want {
			t.Fatalf("attempt %d: %d, want %d", i+1, res.StatusCode, want)
		}
		if wait != "" {
			postJSON(t, session+"/__upmock/clock", `{"advance":"`+wait+`"}`)
		}
	}

	row := chromedp.CSS(`#journal tr.entry[data-status="401"]`)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(session+"/__upmock/ui/"),
		chromedp.WaitVisible(row),
	); err != nil {
		t.Fatalf("the console shows no 401 row: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(row))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "auth: 801") || !strings.Contains(text, "postShippingItem") {
		t.Errorf("the 401 row reads %q, want its operation and the annotation auth: 801", text)
	}
	// Opening the row shows the exchange: the upstream's error body with errorCode 801.
	if err := chromedp.Do(ctx, chromedp.Click(row), chromedp.WaitVisible(chromedp.CSS(`#journal tr.detail`))); err != nil {
		t.Fatal(err)
	}
	detail, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#journal tr.detail`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, `"errorCode": 801`) || !strings.Contains(detail, "X-Atlas-Api-Key") {
		t.Errorf("the opened row lacks the answer's errorCode 801 or the request headers:\n%s", detail)
	}
	screenshot(t, ctx, "journal.png")

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#tabs button[data-view="timeline"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#timeline circle`)),
	); err != nil {
		t.Fatalf("the timeline shows no request: %v", err)
	}
	screenshot(t, ctx, "timeline.png")

	var before, after struct{ Now time.Time }
	getJSON(t, session+"/__upmock/clock", &before)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#tabs button[data-view="controls"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#advance`)),
		chromedp.SetValue(chromedp.CSS(`#advance`), "2h"),
		chromedp.Click(chromedp.CSS(`#clock-advance button`)),
	); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		getJSON(t, session+"/__upmock/clock", &after)
		if after.Now.Sub(before.Now) >= 2*time.Hour || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if moved := after.Now.Sub(before.Now); moved < 2*time.Hour || moved > 2*time.Hour+time.Minute {
		t.Errorf("the session clock moved %s after advancing 2h from the page, want 2h (plus the test's own time)", moved)
	}
	screenshot(t, ctx, "controls.png")

	// The last conformance report posted for the session, as `upmock conformance` posts it.
	req, _ = http.NewRequest(http.MethodPut, session+"/__upmock/conformance", strings.NewReader(
		`{"summary":{"BROKEN":1},"rules":[{"id":"ATLAS-AUTH-2","api":"atlas","verdict":"BROKEN","message":"a JWT reused 61 s later"}],"html":"<h1>report page</h1>"}`))
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT conformance report: %v %v", res, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#tabs button[data-view="conformance"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#conformance table`)),
	); err != nil {
		t.Fatalf("the conformance view shows no report: %v", err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#conformance table`))); !strings.Contains(got, "ATLAS-AUTH-2") || !strings.Contains(got, "a JWT reused 61 s later") {
		t.Errorf("the conformance view reads %q", got)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func postJSON(t *testing.T, url, body string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		t.Fatalf("POST %s %s: %d", url, body, res.StatusCode)
	}
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
