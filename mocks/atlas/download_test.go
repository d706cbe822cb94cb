package atlas_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDownloadPagingAndCursors(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.control("PATCH", "/settings/atlas", map[string]any{"recordsPerFile": 1, "urlsPerPage": 2}), 200)
	for i := 1; i <= 5; i++ {
		slip := fmt.Sprintf("SLIP%016d", i)
		expectStatus(t, h.call("POST", "/shipping/item", h.registration(slip, nil, item(fmt.Sprintf("T-%d", i), "AB0"+fmt.Sprint(i), "/P/"))), 204)
	}
	h.advance(delay)

	first := h.list("/items/download", "")
	if len(first.URLs) != 2 || !first.HasNext {
		t.Fatalf("first page: %d urls, hasNext %v", len(first.URLs), first.HasNext)
	}
	items, _, cursor := h.shipped("")
	if len(items) != 5 {
		t.Fatalf("following hasNext gave %d items, want 5", len(items))
	}
	if diff, _, _ := h.shipped(cursor); len(diff) != 0 {
		t.Fatalf("nothing changed, yet the cursor returned %v", keys(diff))
	}
	expectStatus(t, h.call("POST", "/shipping/item", h.registration("SLIP0000000000000099", nil, item("T-99", "AB99", "/P/"))), 204)
	h.advance(delay)
	diff, _, _ := h.shipped(cursor)
	if len(diff) != 1 || diff["T-99"].TrackingID != "T-99" {
		t.Fatalf("cursor diff %v, want only T-99", keys(diff))
	}

	t.Run("a cursor that is not ours is errorCode 100", func(t *testing.T) {
		r := h.call("GET", "/items/download?cursor=bm90IGEgY3Vyc29y", nil)
		p := expectProblem(t, r, 400, 100, "invalid input value.")
		if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != "cursor" {
			t.Fatalf("invalidParams %+v", p.InvalidParams)
		}
	})
	t.Run("an items cursor is not an inactive-IDs cursor", func(t *testing.T) {
		expectProblem(t, h.call("GET", "/inactivetrackingids/download?cursor="+strings.ReplaceAll(cursor, "+", "%2B"), nil), 400, 100, "invalid input value.")
	})
	t.Run("another tenant sees nothing", func(t *testing.T) {
		other := h.as("atlas-key-other-0004", "atlas-secret-other-0004-change-me")
		if items, _, _ := other.shipped(""); len(items) != 0 {
			t.Fatalf("tenant isolation broken: %v", keys(items))
		}
	})
}

func TestFirstDownloadSplitsPreviousMonthsAndDays(t *testing.T) {
	h := newHarness(t)
	// 2026-10-20 and 2026-11-02 and 2026-11-03 (JST) registrations, listed on 2026-11-03.
	h.sess.Clock.Set(time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC))
	h.sess.Clock.Freeze()
	for i, at := range []time.Time{
		time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 3, 0, 0, 0, time.UTC),
	} {
		h.sess.Clock.Set(at)
		expectStatus(t, h.call("POST", "/shipping/item", h.registration(fmt.Sprintf("SLIP%016d", i), nil, item(fmt.Sprintf("T-%d", i), "AB0"+fmt.Sprint(i), "/P/"))), 204)
		h.advance(delay)
	}
	l := h.list("/items/download", "")
	if len(l.URLs) != 3 {
		t.Fatalf("%d files, want one before this month and one per day of it", len(l.URLs))
	}
	for i, want := range []string{"before_202611_001.json", "20261102_001.json", "20261103_001.json"} {
		if !strings.Contains(l.URLs[i], "/"+want+"?") {
			t.Fatalf("file %d is %s, want %s", i, l.URLs[i], want)
		}
	}
}

func TestDownloadURLs(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))), 204)
	h.advance(delay)
	raw := h.call("GET", "/items/download", nil)
	if strings.Contains(string(raw.body), `\u0026`) || !strings.Contains(string(raw.body), "&X-Amz-") {
		t.Fatalf("URLs must be written with a plain &: %s", raw.body)
	}
	l := h.list("/items/download", "")
	u := l.URLs[0]
	r := h.fetch(u)
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), `"actualShippingData"`) {
		t.Fatalf("file %s", r.body)
	}
	entries := h.sess.Journal.List("atlas", 1)
	if entries[0].Operation != "download" || entries[0].Headers["X-Atlas-Api-Key"] != nil {
		t.Fatalf("journal entry of the fetch: %+v", entries[0])
	}
	tampered := strings.Replace(u, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
	if r := h.fetch(tampered); r.status != 403 || !strings.Contains(string(r.body), "SignatureDoesNotMatch") {
		t.Fatalf("tampered URL: %d %s", r.status, r.body)
	}
	h.advance(time.Hour + time.Second)
	if r := h.fetch(u); r.status != 403 || !strings.Contains(string(r.body), "<Code>AccessDenied</Code>") {
		t.Fatalf("after an hour: %d %s", r.status, r.body)
	}
}

func TestMaster(t *testing.T) {
	h := newHarness(t)
	h.sess.Clock.Set(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	get := func(query string) (string, bool) {
		r := h.call("GET", "/master/products"+query, nil)
		expectStatus(t, r, 200)
		if strings.Contains(string(r.body), `"url":null`) {
			return "", false
		}
		u := string(r.body)[len(`{"url":"`) : len(r.body)-2]
		u = strings.ReplaceAll(u, `\u0026`, "&")
		f := h.fetch(u)
		expectStatus(t, f, 200)
		return string(f.body), true
	}
	latest, ok := get("")
	if !ok || !strings.Contains(latest, "P0003") {
		t.Fatalf("latest products master: %q", latest)
	}
	older, ok := get("?lastDownloadDateTime=2026-02-01T00:00:00.000000Z")
	if !ok || older != latest {
		t.Fatalf("newer than February: %q", older)
	}
	if _, ok := get("?lastDownloadDateTime=2026-07-01T00:00:00.000000Z"); ok {
		t.Fatal("nothing was uploaded after July, yet a URL came back")
	}
	expectProblem(t, h.call("GET", "/master/nothing", nil), 400, 208, "the master file does not exist.[ master=nothing ]")
	expectProblem(t, h.call("GET", "/master/products?lastDownloadDateTime=2026-07-01", nil), 400, 100, "invalid input value.")
}

func TestLogCredentials(t *testing.T) {
	h := newHarness(t)
	h.sess.Clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	h.sess.Clock.Freeze()
	r := h.call("GET", "/log/credentials", nil)
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), `"expiration":"2026-11-25T11:00:00Z"`) {
		t.Fatalf("credentials %s", r.body)
	}
}
