package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/jaiadriver"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/jaia"
)

// upstream is the JAIA mock in-process, one per scenario.
type upstream struct {
	srv  *core.Running
	sess *core.Session
}

func (u upstream) entries(op string) []core.Entry {
	var out []core.Entry
	for _, e := range u.sess.Journal.List("jaia", 0) {
		if op == "" || e.Operation == op {
			out = append(out, e)
		}
	}
	return out
}

func store(i int) map[string]string {
	return map[string]string{"jaiaCode": fmt.Sprintf("1001UT%012d", i), "jaiaCompanyCode": "1001",
		"infoOpenStartDate": "20240101", "publishSetting": "01"}
}

func stores(n int) []map[string]string {
	out := make([]map[string]string, n)
	for i := range out {
		out[i] = store(i)
	}
	return out
}

func do(d driver.Driver, op string, params any) error {
	_, err := d.Do(context.Background(), op, params)
	return err
}

var search = map[string]any{"conditions": []map[string]string{{"columnName": "jaia_company_code", "value": "1001"}},
	"columns": []string{"jaia_code"}, "infoOpenStatus": "99"}

// scenario exercises one rule; broken reports whether what the upstream saw (and the
// driver's errors) break it.
type scenario struct {
	run    func(d driver.Driver, u upstream) error
	broken func(u upstream, err error) bool
	// windowMs is the driver's rate window (2 requests per window); 0 means 200 ms.
	windowMs int
}

// The scenario of each defect's rule, named after the defect that must break it.
var scenarios = map[string]scenario{
	"login-every-op": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
			return do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
		},
		broken: func(u upstream, _ error) bool { return len(u.entries("AUTH_LOGIN")) != 1 },
	},
	"cached-login": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.searchStores", search)
			u.sess.Clock.Advance(2*time.Hour + time.Minute)
			return do(d, "jaia.searchStores", search)
		},
		broken: func(u upstream, err error) bool { return len(u.entries("AUTH_LOGIN")) != 2 || err != nil },
	},
	"no-logout": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.searchStores", search)
			return do(d, "jaia.logout", nil)
		},
		broken: func(u upstream, _ error) bool { return len(u.entries("AUTH_LOGOUT")) != 1 },
	},
	"create-api-id-on-update": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.createStores", map[string]any{"stores": stores(1)})
			return do(d, "jaia.updateStore", map[string]any{"store": store(0)})
		},
		broken: func(u upstream, _ error) bool {
			upd := u.entries("STORE_UPDATE")
			return len(upd) != 1 || upd[0].Status != 200
		},
	},
	"one-based-pages": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.createStores", map[string]any{"stores": stores(3)})
			return do(d, "jaia.searchStores", search)
		},
		broken: func(u upstream, _ error) bool {
			var body struct{ PageNumber int }
			_ = json.Unmarshal([]byte(u.entries("STORE_SELECT")[0].Body), &body)
			return body.PageNumber != 0
		},
	},
	"singles-for-small-batches": {
		run: func(d driver.Driver, u upstream) error {
			return do(d, "jaia.createStores", map[string]any{"stores": stores(3)})
		},
		broken: func(u upstream, _ error) bool { return len(u.entries("STORE_CREATE")) > 0 },
	},
	"one-csv": {
		run: func(d driver.Driver, u upstream) error {
			many := make([]map[string]string, 10001)
			for i := range many {
				many[i] = map[string]string{"jaiaCode": fmt.Sprintf("1001UT%012d", i)}
			}
			return do(d, "jaia.createStores", map[string]any{"defaults": map[string]string{"jaiaCompanyCode": "1001",
				"infoOpenStartDate": "20240101", "publishSetting": "01"}, "stores": many})
		},
		broken: func(u upstream, _ error) bool { return len(u.entries("STORE_IMPORT_CREATE")) == 1 },
	},
	"no-rate-limit": {
		run: func(d driver.Driver, u upstream) error {
			for range 3 {
				_ = do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
			}
			return nil
		},
		broken: func(u upstream, _ error) bool {
			// login + 3 calls on a budget of 2 per 200 ms; arrivals may come closer than the
			// client sent them, so half the window is the line.
			all := u.entries("")
			return all[2].Time.Sub(all[0].Time) < 100*time.Millisecond
		},
	},
	"departure-window": {
		// A one-second window and a slow answer far longer than it: the margins below are
		// hundreds of milliseconds, so a loaded machine cannot hide the defect or fake it.
		windowMs: 1000,
		run: func(d driver.Driver, u upstream) error {
			if _, err := u.sess.AddFault(core.Fault{API: "jaia", Path: "/codes", Count: 1, DelayMs: 1500}); err != nil {
				return err
			}
			for range 3 {
				_ = do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
			}
			return nil
		},
		broken: func(u upstream, _ error) bool {
			// login, a call answered 1.5 s late and two more on 2 per second: counting from
			// answers, the fourth request leaves a second after the slow call's answer (the
			// client sees that answer after upmock sent it, so never sooner); counting from
			// departures it leaves one round trip after the third's answer.
			all := u.entries("")
			answered := all[1].Time.Add(time.Duration(all[1].DurationMs * float64(time.Millisecond)))
			return all[3].Time.Sub(answered) < 800*time.Millisecond
		},
	},
	"first-error-only": {
		run: func(d driver.Driver, u upstream) error {
			bad := stores(3)
			bad[1]["jaiaCode"] = "1002" + bad[1]["jaiaCode"][4:]
			bad[2]["jaiaCode"] = bad[0]["jaiaCode"]
			return do(d, "jaia.createStores", map[string]any{"stores": bad})
		},
		broken: func(u upstream, err error) bool {
			return err == nil || !strings.Contains(err.Error(), "ファイル内に含まれています")
		},
	},
	"export-any-200": {
		run: func(d driver.Driver, u upstream) error {
			body := `{"result":1,"code":500,"errorMessageList":["予期せぬエラーが発生しました。"]}`
			if _, err := u.sess.AddFault(core.Fault{API: "jaia", Path: "/stores/export/deleted", Count: 1, Status: 200, Body: &body}); err != nil {
				return err
			}
			return do(d, "jaia.exportDeletedStores", search)
		},
		broken: func(u upstream, err error) bool { return err == nil },
	},
	"byte-length-names": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.createStores", map[string]any{"stores": stores(1)})
			renamed := store(0)
			renamed["storeName"] = strings.Repeat("店", 100)
			return do(d, "jaia.updateStore", map[string]any{"store": renamed})
		},
		broken: func(u upstream, _ error) bool {
			upd := u.entries("STORE_UPDATE")
			return len(upd) != 1 || !strings.Contains(upd[0].Body, strings.Repeat("店", 100))
		},
	},
	"read-prefix": {
		run: func(d driver.Driver, u upstream) error {
			rows := make([]string, 2000)
			for i := range rows {
				rows[i] = fmt.Sprintf(`{"codeId":"PUBLISH_SETTING","code":"%04d","codeName":"%s"}`, i, strings.Repeat("名", 20))
			}
			body := `{"result":0,"code":200,"metadataList":[` + strings.Join(rows, ",") + `]}`
			if _, err := u.sess.AddFault(core.Fault{API: "jaia", Path: "/codes", Count: 1, Status: 200, Body: &body}); err != nil {
				return err
			}
			return do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
		},
		broken: func(u upstream, err error) bool { return err != nil },
	},
	"relogin-without-app-id": {
		run: func(d driver.Driver, u upstream) error {
			_ = do(d, "jaia.searchStores", search)
			u.sess.Clock.Advance(2*time.Hour + time.Minute)
			return do(d, "jaia.searchStores", search)
		},
		broken: func(u upstream, err error) bool { return err != nil },
	},
	"http-status-only": {
		run: func(d driver.Driver, u upstream) error {
			body := `{"result":1,"code":500,"errorMessageList":["予期せぬエラーが発生しました。"]}`
			if _, err := u.sess.AddFault(core.Fault{API: "jaia", Path: "/codes", Count: 1, Status: 200, Body: &body}); err != nil {
				return err
			}
			return do(d, "jaia.getCodes", map[string]any{"codeIds": []string{"PUBLISH_SETTING"}})
		},
		broken: func(u upstream, err error) bool { return err == nil },
	},
}

// expensive scenarios are run with their own defect only (the reference's splitting is
// tested in clients/jaiaclient).
var expensive = map[string]bool{"one-csv": true}

func newUpstream(t *testing.T) upstream {
	t.Helper()
	srv, err := jaia.Start(jaia.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, err := srv.Session(core.DefaultSession)
	if err != nil {
		t.Fatal(err)
	}
	return upstream{srv: srv, sess: sess}
}

func newDriver(t *testing.T, defectName string, u upstream, windowMs int) driver.Driver {
	t.Helper()
	var opts []jaiadriver.Option
	if defectName != "" {
		opts = defects[defectName].options()
	}
	d := driver.InProcess(jaiadriver.NewHandler(opts...))
	err := do(d, "configure", map[string]any{"jaia": map[string]any{
		"baseUrl": u.srv.URL() + jaia.BasePath, "userMail": "test@jaia.jp", "password": "password",
		"rateLimit": map[string]int{"requests": 2, "windowMs": cmp.Or(windowMs, 200)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Each defect breaks its rule's scenario; the reference driver keeps every rule.
func TestEachDefectBreaksItsRule(t *testing.T) {
	for name, sc := range scenarios {
		for _, defectName := range []string{"", name} {
			if defectName == "" && expensive[name] {
				continue
			}
			u := newUpstream(t)
			err := sc.run(newDriver(t, defectName, u, sc.windowMs), u)
			if got, want := sc.broken(u, err), defectName != ""; got != want {
				label := defectName
				if label == "" {
					label = "the reference driver"
				}
				t.Errorf("%s: rule of %q broken = %v, want %v (driver: %v)", label, name, got, want, err)
			}
		}
	}
}

func TestEveryDefectHasAScenario(t *testing.T) {
	if len(scenarios) != len(defects) {
		t.Fatalf("%d scenarios for %d defects", len(scenarios), len(defects))
	}
	for name := range defects {
		if _, ok := scenarios[name]; !ok {
			t.Errorf("defect %q has no scenario", name)
		}
	}
}
