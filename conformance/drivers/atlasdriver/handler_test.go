package atlasdriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/upmock/upmock/conformance/driver"
)

// fakeAtlas is just enough of the upstream to drive every op once.
type fakeAtlas struct {
	*httptest.Server
	mu    sync.Mutex
	posts []string // bodies of registrations
}

func newFakeAtlas(t *testing.T) *fakeAtlas {
	f := &fakeAtlas{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /atlas/v1/shipping/item", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.posts = append(f.posts, string(body))
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /atlas/v1/receiving/items", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"title":"BadRequest","errorCode":204,"detail":"item's path and targetPath inconsistency error.","traceId":"t","invalidParams":[]}`)
	})
	mux.HandleFunc("GET /atlas/v1/items/download", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			fmt.Fprintf(w, `{"urls":[%q],"cursor":"c1","hasNext":true}`, f.URL+"/s3/one")
			return
		}
		fmt.Fprintf(w, `{"urls":[%q],"cursor":"c2","hasNext":false}`, f.URL+"/s3/two")
	})
	mux.HandleFunc("GET /atlas/v1/inactivetrackingids/download", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"urls":[],"cursor":"i1","hasNext":false}`)
	})
	mux.HandleFunc("GET /s3/one", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"actualShippingData":[{"movementSlipNo":"S1","items":[],"unknown":true}]}`)
	})
	mux.HandleFunc("GET /s3/two", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"actualShippingData":[{"movementSlipNo":"S2","items":[]}]}`)
	})
	mux.HandleFunc("GET /atlas/v1/master/{name}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"url":null}`)
	})
	mux.HandleFunc("GET /atlas/v1/log/credentials", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"accessKeyId":"AK","secretAccessKey":"SK","sessionToken":"ST","expiration":"E"}`)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func configured(t *testing.T, f *fakeAtlas) driver.Driver {
	t.Helper()
	d := driver.InProcess(NewHandler())
	_, err := d.Do(context.Background(), "configure", map[string]any{"atlas": map[string]any{
		"baseUrl": f.URL + "/atlas/v1", "apiKey": "k", "apiSecret": "s",
		"retry": map[string]int{"maxAttempts": 2, "baseDelayMs": 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func do(t *testing.T, d driver.Driver, op, params string) string {
	t.Helper()
	got, err := d.Do(context.Background(), op, json.RawMessage(params))
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return string(got)
}

func TestEveryAtlasOp(t *testing.T) {
	f := newFakeAtlas(t)
	d := configured(t, f)

	reg := `{"mode":"single","movementSlipNo":"78964456306232651242","baseId":"b","counterBaseId":"c","targetPath":null,
		"items":[{"trackingId":"T1","uid":"U","autoIdType":"A","path":"/T1/","itemCount":1,"movedDateTime":"m"},
		         {"trackingId":"T2","uid":"U","autoIdType":"A","path":"/T2/","itemCount":1,"movedDateTime":"m"}]}`
	if got := do(t, d, "atlas.registerShipping", reg); got != `{}` {
		t.Fatalf("registerShipping = %s", got)
	}
	if len(f.posts) != 2 || !strings.Contains(f.posts[0], `"individualRecognitionCode":null`) {
		t.Fatalf("registrations = %v", f.posts)
	}
	if got := do(t, d, "atlas.downloadShipping", `{"cursor":null}`); got !=
		`{"records":[{"movementSlipNo":"S1","items":[],"unknown":true},{"movementSlipNo":"S2","items":[]}],"cursor":"c2"}` {
		t.Fatalf("downloadShipping = %s", got)
	}
	if got := do(t, d, "atlas.downloadInactive", `{"cursor":"i0"}`); got != `{"inactiveTrackingIds":[],"cursor":"i1"}` {
		t.Fatalf("downloadInactive = %s", got)
	}
	if got := do(t, d, "atlas.getMaster", `{"name":"products","lastDownloadDateTime":null}`); got != `{"found":false,"content":""}` {
		t.Fatalf("getMaster = %s", got)
	}
	if got := do(t, d, "atlas.getLogCredentials", `{}`); got != `{"accessKeyId":"AK","secretAccessKey":"SK","sessionToken":"ST","expiration":"E"}` {
		t.Fatalf("getLogCredentials = %s", got)
	}
}

func TestUpstreamErrorsKeepStatusAndCode(t *testing.T) {
	d := configured(t, newFakeAtlas(t))
	_, err := d.Do(context.Background(), "atlas.registerReceiving", json.RawMessage(
		`{"mode":"bulk","movementSlipNo":"x","baseId":"b","counterBaseId":"c","targetPath":"/a/","items":[{"trackingId":"T1"}]}`))
	var de *driver.Error
	if !errors.As(err, &de) || de.Status != 400 || de.Code != "204" {
		t.Fatalf("err = %v", err)
	}
}

func TestOpsBeforeConfigureAndUnknownOps(t *testing.T) {
	d := driver.InProcess(NewHandler())
	var de *driver.Error
	if _, err := d.Do(context.Background(), "atlas.getLogCredentials", nil); !errors.As(err, &de) || !strings.Contains(de.Message, "not configured") {
		t.Fatalf("before configure: %v", err)
	}
	if _, err := d.Do(context.Background(), "jaia.login", nil); !errors.As(err, &de) || de.Code != driver.CodeUnsupported {
		t.Fatalf("unknown op: %v", err)
	}
}

func TestABadModeIsRejected(t *testing.T) {
	d := configured(t, newFakeAtlas(t))
	_, err := d.Do(context.Background(), "atlas.registerShipping", json.RawMessage(`{"mode":"both","items":[{}]}`))
	if err == nil || !strings.Contains(err.Error(), "mode must be") {
		t.Fatalf("err = %v", err)
	}
}
