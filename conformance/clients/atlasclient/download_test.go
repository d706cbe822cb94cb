package atlasclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

const expiredXML = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`

// files serves download files by path, like S3 would, from its own host.
func filesServer(t *testing.T, files map[string]string) *fakeServer {
	return newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			status(http.StatusForbidden, expiredXML)(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	})
}

func listingJSON(cursor string, hasNext bool, urls ...string) string {
	b, _ := json.Marshal(map[string]any{"urls": urls, "cursor": cursor, "hasNext": hasNext})
	return string(b)
}

func TestDownloadShippingFollowsCursorsAndFetchesFilesWithoutAuth(t *testing.T) {
	files := filesServer(t, map[string]string{
		"/f1": `{"actualShippingData":[{"tenantId":"t","movementSlipNo":"S1","items":[{"trackingId":"A"}],"extra":1}]}`,
		"/f2": `{"actualShippingData":[{"tenantId":"t","movementSlipNo":"S2","items":[]}]}`,
		"/f3": `{"actualShippingData":[{"tenantId":"t","movementSlipNo":"S3","items":[]}]}`,
	})
	api := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("cursor") {
		case "c0":
			_, _ = fmt.Fprint(w, listingJSON("c1", true, files.URL+"/f1", files.URL+"/f2"))
		case "c1":
			_, _ = fmt.Fprint(w, listingJSON("c2", false, files.URL+"/f3"))
		default:
			http.Error(w, "unexpected cursor", 400)
		}
	})
	c := newTestClient(t, api.URL)

	got, err := c.DownloadShipping(context.Background(), String("c0"))
	if err != nil {
		t.Fatal(err)
	}
	var slips []string
	for _, r := range got.Records {
		slips = append(slips, r.MovementSlipNo)
	}
	if strings.Join(slips, ",") != "S1,S2,S3" || got.Cursor != "c2" {
		t.Fatalf("records %v, cursor %q", slips, got.Cursor)
	}
	if string(got.Records[0].Raw) != `{"tenantId":"t","movementSlipNo":"S1","items":[{"trackingId":"A"}],"extra":1}` {
		t.Fatalf("raw record = %s", got.Records[0].Raw)
	}
	for _, r := range api.seen() {
		if r.Path != "/atlas/v1/items/download" {
			t.Fatalf("listing path = %s", r.Path)
		}
		verifyAuthHeaders(t, r)
	}
	for _, r := range files.seen() {
		verifyNoAuthHeaders(t, r)
	}
	if n := len(files.seen()); n != 3 {
		t.Fatalf("%d file fetches, want 3", n)
	}
}

func TestDownloadWithoutCursorSendsNone(t *testing.T) {
	api := newFakeServer(t, status(200, listingJSON("c1", false)))
	c := newTestClient(t, api.URL)
	got, err := c.DownloadInactive(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := api.seen()[0]; r.Query != "" || r.Path != "/atlas/v1/inactivetrackingids/download" {
		t.Fatalf("request %s?%s", r.Path, r.Query)
	}
	if got.Cursor != "c1" || len(got.InactiveTrackingIDs) != 0 {
		t.Fatalf("got %+v", got)
	}
}

func TestAnExpiredURLMakesTheClientAskForANewListingOnce(t *testing.T) {
	files := filesServer(t, map[string]string{
		"/fresh": `{"inactiveTrackingIds":[{"trackingId":"A","inactivatedReasonCd":"1","inactivatedUpdatedAt":"2026-11-25T10:00:00.000000Z"}]}`,
	})
	var listings atomic.Int64
	api := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if listings.Add(1) == 1 {
			_, _ = fmt.Fprint(w, listingJSON("c1", false, files.URL+"/stale"))
			return
		}
		_, _ = fmt.Fprint(w, listingJSON("c1", false, files.URL+"/fresh"))
	})
	c := newTestClient(t, api.URL)

	got, err := c.DownloadInactive(context.Background(), String("c0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.InactiveTrackingIDs) != 1 || got.InactiveTrackingIDs[0].TrackingID != "A" {
		t.Fatalf("got %+v", got)
	}
	reqs := api.seen()
	if len(reqs) != 2 || reqs[0].Query != reqs[1].Query || reqs[1].Query != "cursor=c0" {
		t.Fatalf("listings = %+v", reqs)
	}
}

func TestAURLStillExpiredAfterANewListingIsAnError(t *testing.T) {
	files := filesServer(t, nil)
	api := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, listingJSON("c1", false, files.URL+"/stale"))
	})
	c := newTestClient(t, api.URL)

	_, err := c.DownloadShipping(context.Background(), nil)
	var apiErr *APIError
	if !errors.Is(err, ErrURLExpired) || !errors.As(err, &apiErr) || apiErr.Message != "AccessDenied: Request has expired" {
		t.Fatalf("err = %v", err)
	}
	if n := len(api.seen()); n != 2 {
		t.Fatalf("%d listings, want 2", n)
	}
}

func TestGetMaster(t *testing.T) {
	files := filesServer(t, map[string]string{"/m.csv": "code,name\n1,a\n"})
	api := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/atlas/v1/master/none" {
			_, _ = fmt.Fprint(w, `{"url":null}`)
			return
		}
		_, _ = fmt.Fprintf(w, `{"url":%q}`, files.URL+"/m.csv")
	})
	c := newTestClient(t, api.URL)

	m, err := c.GetMaster(context.Background(), "products", String("2026-11-25T10:00:00.000000Z"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Found || string(m.Content) != "code,name\n1,a\n" {
		t.Fatalf("master = %+v", m)
	}
	if r := api.seen()[0]; r.Path != "/atlas/v1/master/products" || r.Query != "lastDownloadDateTime=2026-11-25T10%3A00%3A00.000000Z" {
		t.Fatalf("request %s?%s", r.Path, r.Query)
	}
	verifyNoAuthHeaders(t, files.seen()[0])

	m, err = c.GetMaster(context.Background(), "none", nil)
	if err != nil || m.Found {
		t.Fatalf("master = %+v, %v", m, err)
	}
}

func TestLogCredentials(t *testing.T) {
	api := newFakeServer(t, status(200, `{"accessKeyId":"AK","secretAccessKey":"SK","sessionToken":"ST","expiration":"2019-08-15T0412:42:13Z"}`))
	c := newTestClient(t, api.URL)
	creds, err := c.LogCredentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Credentials{AccessKeyID: "AK", SecretAccessKey: "SK", SessionToken: "ST", Expiration: "2019-08-15T0412:42:13Z"}
	if creds != want {
		t.Fatalf("creds = %+v", creds)
	}
	r := api.seen()[0]
	if r.Method != "GET" || r.Path != "/atlas/v1/log/credentials" {
		t.Fatalf("request %s %s", r.Method, r.Path)
	}
	verifyAuthHeaders(t, r)
}
