package occto_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/occto"
)

// seedPlans stores n accepted plans of company 9A001 through the state API.
func seedPlans(tb testing.TB, inst interface{ SetState(json.RawMessage) error }, n int) {
	tb.Helper()
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, jst)
	state := occto.State{
		OCCTO: occto.Receiver{Code: "OCCTO", Name: "電力広域的運営推進機関", BPIDAgencyCode: "OCCTO"},
		Companies: []occto.Company{{Code: "9A001", Name: "アップモック電力株式会社",
			Users: []occto.User{{UserID: userA1, Password: passA1}}}},
		LastPlanNo: int64(n),
	}
	for i := 1; i <= n; i++ {
		state.Plans = append(state.Plans, occto.Plan{
			PlanFields: occto.PlanFields{Division: fmt.Sprintf("%02d", i%3+1), SubmitPlanNo: fmt.Sprintf("P%06d", i),
				FacilityCode: fmt.Sprintf("TL%04d", i%10000), FacilityName: "上町幹線１号線"},
			ReceptionNo: fmt.Sprintf("%010d", i), Company: "9A001", FileReceptionNo: "0000000001", Version: 1,
			RegisteredAt: at, UpdatedAt: at, XML: "<SBD-MSG/>",
		})
	}
	raw, _ := json.Marshal(state)
	if err := inst.SetState(raw); err != nil {
		tb.Fatal(err)
	}
}

func TestAListOfManyPlans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	seedPlans(t, h.sess.Instance(occto.Name), 5000)
	_, list := h.call(pathPlans).file(t)
	if n := bytes.Count(list, []byte("<PLAN_INFO>")); n != 5000 {
		t.Fatalf("%d plans listed, want 5000", n)
	}
	h.call(pathPlan, "plandivision", "03", "occtoreceptionno", "0000005000").file(t)
}

// BenchmarkPlanList10000 is one BA13B103 call listing 10,000 plans through the whole stack.
func BenchmarkPlanList10000(b *testing.B) {
	srv, err := occto.Start(occto.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	sess, _ := srv.Session("default")
	seedPlans(b, sess.Instance(occto.Name), 10000)
	if err := sess.Instance(occto.Name).PatchSettings([]byte(`{"dailyLimit":100000000}`)); err != nil {
		b.Fatal(err)
	}
	body := url.Values{"userid": {userA1}, "password": {passA1}}.Encode()
	b.ResetTimer()
	for range b.N {
		res, err := httpPost(srv.URL()+occto.BasePath+pathPlans, body)
		if err != nil || res != "0000" {
			b.Fatalf("%v %s", err, res)
		}
	}
}

func httpPost(u, body string) (string, error) {
	res, err := httpClient.Post(u, "application/x-www-form-urlencoded", bytes.NewReader([]byte(body)))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.Header.Get("resultcode"), nil
}

var httpClient = &http.Client{}
