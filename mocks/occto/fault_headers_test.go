package occto_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/occto"
)

// Injected faults and maintenance answer like OCCTO does: error XML and a resultcode header.
func TestFaultsCarryTheResultcodeHeader(t *testing.T) {
	s, err := core.NewServer(core.Options{APIs: []core.API{occto.API{}}})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := core.Listen(s, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sess, _ := srv.Session(core.DefaultSession)
	if _, err := sess.AddFault(core.Fault{API: "occto", Status: 500}); err != nil {
		t.Fatal(err)
	}
	post := func() *http.Response {
		res, err := http.Post(srv.URL()+"/occto/service/RP12/OCCTO/api/listDownload/getBA13B006FileList", "application/x-www-form-urlencoded", strings.NewReader("userid=x&password=y"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post(); res.StatusCode != 500 || res.Header.Get("resultcode") == "" || res.Header.Get("resultcode") == "0000" {
		t.Fatalf("fault: %d headers %v", res.StatusCode, res.Header)
	}
	sess.SetMaintenance("occto", true)
	if res := post(); res.StatusCode != 503 || res.Header.Get("resultcode") == "" {
		t.Fatalf("maintenance: %d headers %v", res.StatusCode, res.Header)
	}
}
