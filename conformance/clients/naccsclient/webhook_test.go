package naccsclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const secret = "cpwh_test_secret"

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"data":{"operationType":"NaccsReceive"}}`)
	good := Sign(secret, now, body)
	cases := []struct {
		name, header string
		body         []byte
		ok           bool
	}{
		{"genuine", good, body, true},
		{"one of two v1 values", strings.Replace(good, "v1=", "v1=00,v1=", 1), body, true},
		{"another key", Sign("other", now, body), body, false},
		{"changed body", good, []byte(`{"data":{}}`), false},
		{"six minutes old", Sign(secret, now.Add(-6*time.Minute), body), body, false},
		{"six minutes ahead", Sign(secret, now.Add(6*time.Minute), body), body, false},
		{"no header", "", body, false},
		{"no timestamp", "v1=abc", body, false},
	}
	for _, c := range cases {
		err := Verify(secret, c.header, c.body, now, 5*time.Minute)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v", c.name, err)
		}
	}
}

func TestReceiverAnswersAtOnceAndHandlesOnce(t *testing.T) {
	var mu sync.Mutex
	handled := 0
	release := make(chan struct{})
	r := NewReceiver(secret, 5*time.Minute, time.Now, func(ctx context.Context, ev Event) {
		<-release // slow work does not hold the answer
		mu.Lock()
		handled++
		mu.Unlock()
	})
	defer r.Close()
	srv := httptest.NewServer(r)
	defer srv.Close()
	post := func(id, sig, body string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set(HeaderDelivery, id)
		req.Header.Set(HeaderEvent, "NaccsReceive")
		if sig != "" {
			req.Header.Set(HeaderSignature, sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	body := `{"data":{"operationType":"NaccsReceive","naccsSendId":"s1"}}`
	sig := Sign(secret, time.Now(), []byte(body))
	if got := post("d1", sig, body); got != 204 {
		t.Fatalf("genuine: %d", got)
	}
	if got := post("d1", sig, body); got != 204 {
		t.Fatalf("duplicate: %d", got)
	}
	if got := post("d2", "", body); got != 401 {
		t.Fatalf("unsigned: %d", got)
	}
	if got := post("d3", Sign(secret, time.Now(), []byte("x")), body); got != 401 {
		t.Fatalf("tampered: %d", got)
	}
	close(release)
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := handled
		mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if handled != 1 {
		t.Fatalf("handled %d times", handled)
	}
	got := r.Received()
	if len(got) != 4 || !got[0].Accepted || !got[1].Duplicate || got[2].Accepted || got[2].Status != 401 || got[0].NaccsSendID != "s1" {
		t.Fatalf("received %+v", got)
	}
}
