package atlas_test

import (
	"encoding/json"
	"net/url"

	"github.com/upmock/upmock/mocks/atlas"
)

// list calls a listing operation from cursor ("" for the first download).
func (h *harness) list(path, cursor string) atlas.DownloadList {
	h.t.Helper()
	if cursor != "" {
		path += "?cursor=" + url.QueryEscape(cursor)
	}
	r := h.call("GET", path, nil)
	expectStatus(h.t, r, 200)
	var l atlas.DownloadList
	if err := json.Unmarshal(r.body, &l); err != nil {
		h.t.Fatal(err)
	}
	return l
}

// fetch GETs a download URL the way the document says: no auth headers.
func (h *harness) fetch(u string) response {
	h.t.Helper()
	return h.raw("GET", u, nil, nil)
}

// shipped follows cursors until hasNext is false and returns every shipped item by trackingId,
// with the last cursor.
func (h *harness) shipped(cursor string) (map[string]atlas.ActualShippingItem, []atlas.ActualShipping, string) {
	h.t.Helper()
	items := map[string]atlas.ActualShippingItem{}
	var slips []atlas.ActualShipping
	for {
		l := h.list("/items/download", cursor)
		for _, u := range l.URLs {
			r := h.fetch(u)
			expectStatus(h.t, r, 200)
			var file atlas.ActualShippingData
			if err := json.Unmarshal(r.body, &file); err != nil {
				h.t.Fatalf("download file: %v: %s", err, r.body)
			}
			for _, s := range file.ActualShippingData {
				slips = append(slips, s)
				for _, it := range s.Items {
					items[it.TrackingID] = it
				}
			}
		}
		cursor = l.Cursor
		if !l.HasNext {
			return items, slips, cursor
		}
	}
}

func (h *harness) inactive(cursor string) ([]atlas.InactiveTrackingID, string) {
	h.t.Helper()
	var out []atlas.InactiveTrackingID
	for {
		l := h.list("/inactivetrackingids/download", cursor)
		for _, u := range l.URLs {
			r := h.fetch(u)
			expectStatus(h.t, r, 200)
			var file atlas.InactiveTrackingIDs
			if err := json.Unmarshal(r.body, &file); err != nil {
				h.t.Fatal(err)
			}
			out = append(out, file.InactiveTrackingIDs...)
		}
		cursor = l.Cursor
		if !l.HasNext {
			return out, cursor
		}
	}
}
