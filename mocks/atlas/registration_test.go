package atlas_test

import (
	"testing"
	"time"
)

const delay = 3 * time.Second // fixtures/atlas/settings.json registrationDelay

func TestRegistrationIsAsynchronous(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))), 204)
	if items, _, _ := h.shipped(""); len(items) != 0 {
		t.Fatalf("visible before the registration delay: %v", items)
	}
	h.advance(delay)
	items, slips, _ := h.shipped("")
	if _, ok := items["T-1"]; !ok || len(slips) != 1 || slips[0].MovementSlipNo != slipA || slips[0].CounterBaseID != osakaBase {
		t.Fatalf("after the delay: items %v slips %+v", items, slips)
	}
}

func TestDuplicatesAndConflicts(t *testing.T) {
	h := newHarness(t)
	first := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
	expectStatus(t, h.call("POST", "/shipping/item", first), 204)

	t.Run("reused transactionId is errorCode 200", func(t *testing.T) {
		expectProblem(t, h.call("POST", "/shipping/item", first), 400, 200,
			"the transactionId="+first["transactionId"].(string)+" has already been registered.")
	})
	t.Run("same movementSlipNo and trackingId is dropped silently", func(t *testing.T) {
		again := h.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
		again["items"].([]any)[0].(map[string]any)["itemCount"] = 99
		expectStatus(t, h.call("POST", "/shipping/item", again), 204)
		h.advance(delay)
		items, _, _ := h.shipped("")
		if c := items["T-1"].ItemCount; c == nil || *c != 1 {
			t.Fatalf("the later registration overwrote the first: %+v", items["T-1"])
		}
	})
	t.Run("movementSlipNo of another base is errorCode 202", func(t *testing.T) {
		other := h.as(nagoyaKey, nagoyaSecret).registration(slipA, nil, item("T-9", "AB09", "/P9/"))
		other["baseId"] = nagoyaBase
		expectProblem(t, h.as(nagoyaKey, nagoyaSecret).call("POST", "/shipping/item", other), 400, 202,
			"the specified movementSlipNo has already been used in other base. please specify different value for movementSlipNo.")
	})
	t.Run("shipping after the next base received is errorCode 201", func(t *testing.T) {
		osaka := h.as(osakaKey, osakaSecret)
		recv := osaka.registration(slipA, nil, item("T-1", "AB01", "/P1/"))
		recv["baseId"], recv["counterBaseId"] = osakaBase, tokyoBase
		expectStatus(t, osaka.call("POST", "/receiving/item", recv), 204)
		h.advance(delay)
		expectProblem(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, item("T-2", "AB02", "/P1/"))), 400, 201,
			"the data has already been received at the next base.")
	})
}

func TestTargetPathOverwrites(t *testing.T) {
	h := newHarness(t)
	expectStatus(t, h.call("POST", "/shipping/items", h.registration(slipA, str("/PAL/"),
		item("A", "AA01", "/PAL/"), item("B", "AA02", "/PAL/"), item("C", "AA03", "/OTHER/"))), 400) // 204: C is off the branch
	expectStatus(t, h.call("POST", "/shipping/items", h.registration(slipA, str("/PAL/"), item("A", "AA01", "/PAL/"), item("B", "AA02", "/PAL/"))), 204)
	expectStatus(t, h.call("POST", "/shipping/items", h.registration(slipA, str("/KEEP/"), item("K", "AA09", "/KEEP/"))), 204)
	h.advance(delay)
	expectStatus(t, h.call("POST", "/shipping/items", h.registration(slipA, str("/PAL/"), item("C", "AA03", "/PAL/"))), 204)
	h.advance(delay)
	items, _, _ := h.shipped("")
	if _, gone := items["A"]; gone || items["B"].TrackingID != "" || items["C"].TrackingID != "C" || items["K"].TrackingID != "K" {
		t.Fatalf("after overwriting /PAL/: %v", keys(items))
	}
}

func TestTrackingIDCompletion(t *testing.T) {
	h := newHarness(t)
	it := item("#", "CAFE01", "/PAL/")
	expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, it)), 204)
	h.advance(delay)
	items, _, _ := h.shipped("")
	if len(items) != 1 {
		t.Fatalf("items %v", keys(items))
	}
	for id, got := range items {
		if id == "#" || got.Path != "/PAL/"+id+"/" {
			t.Fatalf("trackingId %q path %q: # not completed", id, got.Path)
		}
		// The same uid again with # is identified as the same tracking ID: dropped as a duplicate.
		expectStatus(t, h.call("POST", "/shipping/item", h.registration(slipA, nil, item("#", "CAFE01", "/PAL/"))), 204)
		h.advance(delay)
		again, _, _ := h.shipped("")
		if len(again) != 1 || again[id].TrackingID != id {
			t.Fatalf("uid CAFE01 was not identified as %s: %v", id, keys(again))
		}
	}
}

func TestInactivationReasons(t *testing.T) {
	h := newHarness(t)
	byClient := item("GONE", "BB01", "/P/")
	byClient["isInactivated"] = true
	auto := item("BOX", "BB03", "/PAL/")
	days := 5
	auto["movedDateTime"] = h.sess.Clock.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	auto["autoInactive"] = map[string]any{"isAutoInactivated": true, "targetParentPath": "/PAL/BOX/", "elapsedDays": days}
	expectStatus(t, h.call("POST", "/shipping/items", h.registration(slipA, str("/"), byClient, item("OLD", "BB02", "/Q/"), auto)), 204)
	h.advance(delay)
	// Reason 2: the uid of OLD arrives under a new trackingId.
	expectStatus(t, h.call("POST", "/shipping/item", h.registration("SLIP0000000000000002", nil, item("NEW", "BB02", "/Q/"))), 204)
	h.advance(delay)
	got, cursor := h.inactive("")
	want := map[string]string{"GONE": "1", "OLD": "2"}
	if len(got) != 2 || got[0].InactivatedReasonCd != want[got[0].TrackingID] || got[1].InactivatedReasonCd != want[got[1].TrackingID] {
		t.Fatalf("inactive %+v, want %v", got, want)
	}
	h.advance(time.Duration(days) * 24 * time.Hour)
	later, _ := h.inactive(cursor)
	if len(later) != 1 || later[0].TrackingID != "BOX" || later[0].InactivatedReasonCd != "3" {
		t.Fatalf("after %d days from the cursor: %+v", days, later)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
