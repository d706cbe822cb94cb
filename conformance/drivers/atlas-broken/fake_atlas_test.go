package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// seenRequest is one request the fake upstream received.
type seenRequest struct {
	method, path string
	header       http.Header
	body         map[string]any
}

// fakeAtlas plays ATLAS-Things and its S3 downloads closely enough for every defect to
// show: duplicate transactionIds, the single-item limit, two listing pages, and
// configurable credential failures.
type fakeAtlas struct {
	*httptest.Server
	// credentials answers /log/credentials: "ok", "400", or "503-once".
	credentials string
	// commitThenFail makes the first registration attempt commit and answer 500.
	commitThenFail bool

	mu           sync.Mutex
	seen         []seenRequest
	transactions map[string]bool
	failed503    bool
}

func newFakeAtlas(t *testing.T) *fakeAtlas {
	f := &fakeAtlas{credentials: "ok", transactions: map[string]bool{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAtlas) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

func (f *fakeAtlas) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, seenRequest{r.Method, r.URL.Path, r.Header.Clone(), body})

	path := strings.TrimPrefix(r.URL.Path, "/atlas/v1")
	switch {
	case r.Method == "POST":
		f.register(w, path, body)
	case path == "/items/download" && r.URL.Query().Get("cursor") == "":
		fmt.Fprintf(w, `{"urls":[%q],"cursor":"c1","hasNext":true}`, f.URL+"/s3/one")
	case path == "/items/download":
		fmt.Fprintf(w, `{"urls":[%q],"cursor":"c2","hasNext":false}`, f.URL+"/s3/two")
	case strings.HasPrefix(path, "/s3/"):
		fmt.Fprint(w, `{"actualShippingData":[{"movementSlipNo":"`+path+`","items":[]}]}`)
	case path == "/log/credentials":
		f.answerCredentials(w)
	default:
		problem(w, 404, 802, "resource not found. please confirm request's path.")
	}
}

func (f *fakeAtlas) register(w http.ResponseWriter, path string, body map[string]any) {
	id, _ := body["transactionId"].(string)
	items, _ := body["items"].([]any)
	switch {
	case strings.HasSuffix(path, "/item") && len(items) != 1:
		problem(w, 400, 203, "there can be only one item in this request.")
	case f.transactions[id]:
		problem(w, 400, 200, "the transactionId="+id+" has already been registered.")
	case f.commitThenFail:
		f.commitThenFail = false
		f.transactions[id] = true
		w.WriteHeader(500)
		fmt.Fprint(w, `{"message":"Internal Server Error"}`)
	default:
		f.transactions[id] = true
		w.WriteHeader(http.StatusNoContent)
	}
}

func (f *fakeAtlas) answerCredentials(w http.ResponseWriter) {
	switch {
	case f.credentials == "400":
		problem(w, 400, 100, "invalid input value.")
	case f.credentials == "503-once" && !f.failed503:
		f.failed503 = true
		problem(w, 503, 901, "system maintenance.")
	default:
		fmt.Fprint(w, `{"accessKeyId":"AK","secretAccessKey":"SK","sessionToken":"ST","expiration":"E"}`)
	}
}

func problem(w http.ResponseWriter, status, code int, detail string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"title":"x","errorCode":%d,"detail":%q,"traceId":"t","invalidParams":[]}`, code, detail)
}
