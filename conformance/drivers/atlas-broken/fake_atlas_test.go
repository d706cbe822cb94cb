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
	"time"
)

// seenRequest is one request the fake upstream received.
type seenRequest struct {
	method, path, query string
	header              http.Header
	body                map[string]any
	at                  time.Time
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
	// outcome is what a scenario's driver op answered, for scenarios judged on it.
	outcome error

	refused   int             // registrations answered 400
	masterURL int             // the master URLs handed out
	fetched   map[string]bool // the master URLs fetched
	failures  int             // 503s answered for "503-twice"

	mu           sync.Mutex
	seen         []seenRequest
	transactions map[string]bool
	failed503    bool
}

func newFakeAtlas(t *testing.T) *fakeAtlas {
	f := &fakeAtlas{credentials: "ok", transactions: map[string]bool{}, fetched: map[string]bool{}}
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
	f.seen = append(f.seen, seenRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, time.Now()})

	path := strings.TrimPrefix(r.URL.Path, "/atlas/v1")
	switch {
	case r.Method == "POST":
		f.register(w, path, body)
	case path == "/items/download" && r.URL.Query().Get("cursor") == "big":
		fmt.Fprintf(w, `{"urls":[%q],"cursor":"c2","hasNext":false}`, f.URL+"/s3/big")
	case path == "/s3/big":
		fmt.Fprint(w, `{"actualShippingData":[{"movementSlipNo":"BIG","items":[{"trackingId":"`+strings.Repeat("T", 100<<10)+`"}]}]}`)
	case path == "/master/products":
		f.masterURL++
		fmt.Fprintf(w, `{"url":"%s/s3/master-%d"}`, f.URL, f.masterURL)
	case strings.HasPrefix(path, "/s3/master-"):
		if f.fetched[path] { // a master URL lives for one fetch: the second finds it expired

			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`)
			return
		}
		f.fetched[path] = true
		fmt.Fprint(w, "code,name\n1,one\n")
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

// refusedRegistrations is how many registrations the fake answered 400.
func (f *fakeAtlas) refusedRegistrations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused
}

func (f *fakeAtlas) register(w http.ResponseWriter, path string, body map[string]any) {
	id, _ := body["transactionId"].(string)
	items, _ := body["items"].([]any)
	switch {
	case strings.HasSuffix(path, "/item") && len(items) != 1:
		f.refused++
		problem(w, 400, 203, "there can be only one item in this request.")
	case f.transactions[id]:
		f.refused++
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
	case f.credentials == "503-twice" && f.failures < 2:
		f.failures++
		problem(w, 503, 901, "system maintenance.")
	default:
		fmt.Fprint(w, `{"accessKeyId":"AK","secretAccessKey":"SK","sessionToken":"ST","expiration":"E"}`)
	}
}

func problem(w http.ResponseWriter, status, code int, detail string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"title":"x","errorCode":%d,"detail":%q,"traceId":"t","invalidParams":[]}`, code, detail)
}
