package atlas_test

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestAuthentication(t *testing.T) {
	h := newHarness(t)
	now := func(offset time.Duration) string {
		return h.sess.Clock.Now().Add(offset).UTC().Format("2006-01-02T15:04:05Z")
	}
	hs256 := func(date string) string { return signJWT(t, tokyoSecret, date, jwt.SigningMethodHS256) }
	cases := []struct {
		name    string
		headers []string
		code    int
		detail  string
	}{
		{"no api key", []string{"X-ATLAS-API-Key", ""}, 800, "authorization failed."},
		{"unknown api key", []string{"X-ATLAS-API-Key", "nope"}, 800, "authorization failed."},
		{"no jwt", []string{"Authorization", ""}, 800, "authorization failed."},
		{"jwt signed with another key's secret", []string{"Authorization", signJWT(t, osakaSecret, now(0), jwt.SigningMethodHS256)}, 800, "authorization failed."},
		{"alg none", []string{"Authorization", signJWT(t, "", now(0), jwt.SigningMethodNone)}, 800, "authorization failed."},
		{"HS512 instead of HS256", []string{"Authorization", signJWT(t, tokyoSecret, now(0), jwt.SigningMethodHS512)}, 800, "authorization failed."},
		{"requestDate with fraction", []string{"Authorization", hs256(h.sess.Clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"))}, 804, "requestDate is invalid format."},
		{"requestDate with offset", []string{"Authorization", hs256(h.sess.Clock.Now().Format("2006-01-02T15:04:05+09:00"))}, 804, "requestDate is invalid format."},
		{"requestDate missing", []string{"Authorization", signJWT(t, tokyoSecret, "", jwt.SigningMethodHS256)}, 804, "requestDate is invalid format."},
		{"requestDate 61 s old", []string{"Authorization", hs256(now(-61 * time.Second))}, 801, "jwt expired."},
		{"requestDate a day ahead", []string{"Authorization", hs256(now(24 * time.Hour))}, 804, "requestDate is invalid format."},
		{"requestDate 5 min 30 s ahead", []string{"Authorization", hs256(now(5*time.Minute + 30*time.Second))}, 804, "requestDate is invalid format."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, h.call("GET", "/log/credentials", nil, c.headers...), 401, c.code, c.detail)
		})
	}
	t.Run("requestDate 59 s old is accepted", func(t *testing.T) {
		expectStatus(t, h.call("GET", "/log/credentials", nil, "Authorization", hs256(now(-59*time.Second))), 200)
	})
	t.Run("requestDate 4 min 30 s ahead is accepted (a fast client clock)", func(t *testing.T) {
		expectStatus(t, h.call("GET", "/log/credentials", nil, "Authorization", hs256(now(4*time.Minute+30*time.Second))), 200)
	})
	t.Run("Bearer prefix is accepted", func(t *testing.T) {
		expectStatus(t, h.call("GET", "/log/credentials", nil, "Authorization", "Bearer "+hs256(now(0))), 200)
	})
	t.Run("a token expires when the mock clock moves on", func(t *testing.T) {
		tok := hs256(now(0))
		expectStatus(t, h.call("GET", "/log/credentials", nil, "Authorization", tok), 200)
		h.advance(61 * time.Second)
		expectProblem(t, h.call("GET", "/log/credentials", nil, "Authorization", tok), 401, 801, "jwt expired.")
	})
}

func TestJournalRedactsTheSignatureOnly(t *testing.T) {
	h := newHarness(t)
	tok := h.freshJWT()
	h.call("GET", "/log/credentials", nil, "Authorization", tok)
	entries := h.sess.Journal.List("atlas", 0)
	got := entries[len(entries)-1].Headers["Authorization"][0]
	if want := tok[:len(tok)-len(tok[lastDot(tok):])] + ".REDACTED"; got != want {
		t.Fatalf("journal Authorization %q, want %q", got, want)
	}
	if entries[len(entries)-1].Annotations["auth"] == "" {
		t.Fatal("journal entry lacks the auth annotation")
	}
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return 0
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.control("PATCH", "/settings/atlas", map[string]any{"rateLimitPerMinute": 2}), 200)
	h.sess.Clock.Freeze()
	for i := 0; i < 2; i++ {
		expectStatus(t, h.call("GET", "/log/credentials", nil), 200)
	}
	expectProblem(t, h.call("GET", "/log/credentials", nil), 429, 803, "request is too many. please call API in a little while.")
	// Another key has its own budget.
	expectStatus(t, h.as(osakaKey, osakaSecret).call("GET", "/log/credentials", nil), 200)
	h.advance(time.Minute)
	expectStatus(t, h.call("GET", "/log/credentials", nil), 200)
}
