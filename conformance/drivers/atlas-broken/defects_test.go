package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/atlasclient"
	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/conformance/drivers/atlasdriver"
)

// scenario exercises one rule; broken reports whether the requests the fake saw break it.
type scenario struct {
	run    func(d driver.Driver, f *fakeAtlas)
	broken func(reqs []seenRequest, f *fakeAtlas) bool
}

const reference = "" // no defect

func registration(mode, slip string, trackingIDs ...string) json.RawMessage {
	items := make([]map[string]any, 0, len(trackingIDs))
	for _, id := range trackingIDs {
		items = append(items, map[string]any{"trackingId": id, "uid": "U", "autoIdType": "A", "path": "/" + id + "/",
			"itemCount": 1, "movedDateTime": "2026-11-25T10:00:00.000000Z"})
	}
	raw, _ := json.Marshal(map[string]any{"mode": mode, "movementSlipNo": slip, "baseId": "b", "counterBaseId": "c",
		"targetPath": nil, "items": items})
	return raw
}

// The scenario of each defect's rule, named after the defect that must break it.
var scenarios = map[string]scenario{
	"stale-jwt": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			return reqs[0].header.Get("Authorization") == reqs[1].header.Get("Authorization")
		},
	},
	"auth-on-download": {
		run: func(d driver.Driver, f *fakeAtlas) { _, _ = d.Do(context.Background(), "atlas.downloadShipping", nil) },
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			for _, r := range reqs {
				if strings.HasPrefix(r.path, "/s3/") && (r.header.Get("Authorization") != "" || r.header.Get(atlasclient.HeaderAPIKey) != "") {
					return true
				}
			}
			return false
		},
	},
	"fixed-transaction-id": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, _ = d.Do(context.Background(), "atlas.registerShipping", registration("bulk", "S1", "T1"))
			_, _ = d.Do(context.Background(), "atlas.registerShipping", registration("bulk", "S2", "T2"))
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			return reqs[0].body["transactionId"] == reqs[1].body["transactionId"]
		},
	},
	"omit-null-fields": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, _ = d.Do(context.Background(), "atlas.registerShipping", registration("bulk", "S1", "T1"))
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			item := reqs[0].body["items"].([]any)[0].(map[string]any)
			_, hasTarget := reqs[0].body["targetPath"]
			_, hasCode := item["individualRecognitionCode"]
			return !hasTarget || !hasCode
		},
	},
	"multi-item-single": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, _ = d.Do(context.Background(), "atlas.registerShipping", registration("single", "S1", "T1", "T2"))
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			return len(reqs) != 2 || len(reqs[0].body["items"].([]any)) != 1
		},
	},
	"first-page-only": {
		run: func(d driver.Driver, f *fakeAtlas) { _, _ = d.Do(context.Background(), "atlas.downloadShipping", nil) },
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			listings := 0
			for _, r := range reqs {
				if strings.HasSuffix(r.path, "/items/download") {
					listings++
				}
			}
			return listings != 2
		},
	},
	"retry-on-400": {
		run: func(d driver.Driver, f *fakeAtlas) {
			f.credentials = "400"
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool { return len(reqs) > 1 },
	},
	"no-retry": {
		run: func(d driver.Driver, f *fakeAtlas) {
			f.credentials = "503-once"
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool { return len(reqs) == 1 },
	},
	"new-transaction-id-on-retry": {
		run: func(d driver.Driver, f *fakeAtlas) {
			f.commitThenFail = true
			_, _ = d.Do(context.Background(), "atlas.registerShipping", registration("bulk", "S1", "T1"))
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			return len(reqs) > 1 && reqs[0].body["transactionId"] != reqs[1].body["transactionId"]
		},
	},
	"requestdate-ahead": {
		run: func(d driver.Driver, f *fakeAtlas) { _, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil) },
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			// newDriver's clock starts at testEpoch and ticks a second per reading.
			ahead := requestDateOf(reqs[0]).Sub(time.Unix(testEpoch, 0))
			return ahead > 20*time.Second && ahead < time.Minute
		},
	},
	"local-time-as-utc": {
		run: func(d driver.Driver, f *fakeAtlas) {
			zone := localZone
			localZone = func() *time.Location { return time.FixedZone("JST", 9*3600) } // as TZ=Asia/Tokyo would
			defer func() { localZone = zone }()
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
		},
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			return requestDateOf(reqs[0]).Sub(time.Unix(testEpoch, 0)) > 8*time.Hour
		},
	},
	"one-transaction-id-per-registration": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, f.outcome = d.Do(context.Background(), "atlas.registerShipping", registration("single", "S1", "T1", "T2"))
		},
		// Reported done, although the upstream refused an item.
		broken: func(reqs []seenRequest, f *fakeAtlas) bool { return f.outcome == nil && f.refusedRegistrations() > 0 },
	},
	"return-sent-cursor": {
		run: func(d driver.Driver, f *fakeAtlas) {
			raw, _ := d.Do(context.Background(), "atlas.downloadShipping", map[string]any{"cursor": "c1"})
			var res struct {
				Cursor string `json:"cursor"`
			}
			_ = json.Unmarshal(raw, &res)
			f.outcome = nil
			if res.Cursor != "c2" { // the fake's answer to c1 is the last page, cursor c2
				f.outcome = errors.New("kept cursor " + res.Cursor)
			}
		},
		broken: func(_ []seenRequest, f *fakeAtlas) bool { return f.outcome != nil },
	},
	"reuse-master-url": {
		run: func(d driver.Driver, f *fakeAtlas) {
			params := map[string]any{"name": "products", "lastDownloadDateTime": nil}
			_, _ = d.Do(context.Background(), "atlas.getMaster", params)
			_, f.outcome = d.Do(context.Background(), "atlas.getMaster", params)
		},
		// The fake expires a master URL once it was fetched.
		broken: func(_ []seenRequest, f *fakeAtlas) bool { return f.outcome != nil },
	},
	"read-64k-prefix": {
		run: func(d driver.Driver, f *fakeAtlas) {
			_, f.outcome = d.Do(context.Background(), "atlas.downloadShipping", map[string]any{"cursor": "big"})
		},
		broken: func(_ []seenRequest, f *fakeAtlas) bool { return f.outcome != nil },
	},
	"retry-at-once": {
		run: func(d driver.Driver, f *fakeAtlas) {
			f.credentials = "503-twice"
			_, _ = d.Do(context.Background(), "atlas.getLogCredentials", nil)
		},
		// Both retries came sooner than half the configured wait.
		broken: func(reqs []seenRequest, _ *fakeAtlas) bool {
			half := testBaseDelayMs * time.Millisecond / 2
			return len(reqs) == 3 && reqs[1].at.Sub(reqs[0].at) < half && reqs[2].at.Sub(reqs[1].at) < half
		},
	},
}

// testEpoch is where newDriver's clock starts.
const testEpoch = 1_790_000_000

// jwtPayload decodes a JWT's claims.
func jwtPayload(token string) map[string]any {
	parts := strings.Split(token, ".")
	claims := map[string]any{}
	if len(parts) == 3 {
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		_ = json.Unmarshal(raw, &claims)
	}
	return claims
}

// requestDateOf is the requestDate of a request's JWT (the zero time when it has none).
func requestDateOf(r seenRequest) time.Time {
	raw, _ := jwtPayload(r.header.Get("Authorization"))["requestDate"].(string)
	date, _ := time.Parse(atlasclient.RequestDateLayout, raw)
	return date
}

// testBaseDelayMs is the retry wait the scenarios configure: long enough that a client
// that does not wait shows it (retry-at-once), short enough to keep the test fast.
const testBaseDelayMs = 30

// newDriver is the handler with defect's options (none for reference), fast retries, and
// a clock that moves a second per reading, so fresh JWTs always differ.
func newDriver(t *testing.T, defectName string, f *fakeAtlas) driver.Driver {
	t.Helper()
	var tick atomic.Int64
	opts := []atlasdriver.Option{atlasdriver.WithClientConfig(func(c *atlasclient.Config) {
		c.Now = func() time.Time { return time.Unix(testEpoch+tick.Add(1), 0) }
	})}
	if defectName != reference {
		opts = append(opts, defects[defectName].options()...)
	}
	d := driver.InProcess(atlasdriver.NewHandler(opts...))
	_, err := d.Do(context.Background(), "configure", map[string]any{"atlas": map[string]any{
		"baseUrl": f.URL + "/atlas/v1", "apiKey": "k", "apiSecret": "s",
		"retry": map[string]int{"maxAttempts": 3, "baseDelayMs": testBaseDelayMs},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Each defect must break its own rule and no other; the reference driver breaks none.
func TestEachDefectBreaksOnlyItsRule(t *testing.T) {
	drivers := append([]string{reference}, defectNames()...)
	for _, defectName := range drivers {
		for rule, sc := range scenarios {
			f := newFakeAtlas(t)
			sc.run(newDriver(t, defectName, f), f)
			got, want := sc.broken(f.requests(), f), defectName == rule
			if got != want {
				label := defectName
				if label == reference {
					label = "the reference driver"
				}
				t.Errorf("%s: rule of %q broken = %v, want %v", label, rule, got, want)
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
