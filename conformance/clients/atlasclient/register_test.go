package atlasclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"testing"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func sampleItem(trackingID string) Item {
	return Item{
		TrackingID:    trackingID,
		UID:           "000901000000000000040000",
		AutoIDType:    "exampleType",
		Path:          "/Ship001/" + trackingID + "/",
		ItemCount:     1,
		MovedDateTime: "2026-11-25T10:00:00.000000Z",
	}
}

func sampleRegistration(items ...Item) Registration {
	return Registration{
		MovementSlipNo: "78964456306232651242",
		BaseID:         "2114dbec-a137-11e8-9a80-ec21e50b3736",
		CounterBaseID:  "458435f8-2e5c-444b-b828-6f25f35f3a40",
		Items:          items,
	}
}

func transactionIDOf(t *testing.T, body []byte) string {
	t.Helper()
	var b struct {
		TransactionID string `json:"transactionId"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	return b.TransactionID
}

func TestRegistrationSendsEveryFieldWithNullsForUnsetOnes(t *testing.T) {
	srv := newFakeServer(t, status(http.StatusNoContent, ""))
	c := newTestClient(t, srv.URL)

	if err := c.RegisterShipping(context.Background(), ModeBulk, sampleRegistration(sampleItem("T-1"))); err != nil {
		t.Fatal(err)
	}
	reqs := srv.seen()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/atlas/v1/shipping/items" {
		t.Fatalf("requests = %+v", reqs)
	}
	verifyAuthHeaders(t, reqs[0])
	id := transactionIDOf(t, reqs[0].Body)
	if !uuidV4.MatchString(id) {
		t.Fatalf("transactionId %q is not a UUID v4", id)
	}
	// The upstream's own field order, every field present.
	want := `{"transactionId":"` + id + `","movementSlipNo":"78964456306232651242",` +
		`"baseId":"2114dbec-a137-11e8-9a80-ec21e50b3736","counterBaseId":"458435f8-2e5c-444b-b828-6f25f35f3a40",` +
		`"targetPath":null,"items":[{"trackingId":"T-1","uid":"000901000000000000040000","autoIdType":"exampleType",` +
		`"path":"/Ship001/T-1/","itemCount":1,"movedDateTime":"2026-11-25T10:00:00.000000Z",` +
		`"individualRecognitionCode":null,"largeClassAggregationKey":"","middleClassAggregationKey":"",` +
		`"smallClassAggregationKey":"","isInactivated":false,"autoInactive":null}]}`
	if string(reqs[0].Body) != want {
		t.Fatalf("body:\n%s\nwant:\n%s", reqs[0].Body, want)
	}
}

func TestRegistrationSendsNullsInsideSetObjects(t *testing.T) {
	srv := newFakeServer(t, status(http.StatusNoContent, ""))
	c := newTestClient(t, srv.URL)
	item := sampleItem("T-1")
	item.AutoInactive = &AutoInactive{IsAutoInactivated: true}
	item.Detail = &ItemDetail{LinkID: String("L-1")}

	if err := c.RegisterReceiving(context.Background(), ModeSingle, sampleRegistration(item)); err != nil {
		t.Fatal(err)
	}
	req := srv.seen()[0]
	if req.Path != "/atlas/v1/receiving/item" {
		t.Fatalf("path = %s", req.Path)
	}
	var body struct {
		Items []struct {
			AutoInactive map[string]any `json:"autoInactive"`
			Detail       map[string]any `json:"detail"`
		} `json:"items"`
	}
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	got := body.Items[0]
	if len(got.AutoInactive) != 3 || got.AutoInactive["targetParentPath"] != nil || got.AutoInactive["elapsedDays"] != nil {
		t.Fatalf("autoInactive = %v", got.AutoInactive)
	}
	if len(got.Detail) != 18 || got.Detail["linkId"] != "L-1" || got.Detail["attribute9"] != nil {
		t.Fatalf("detail = %v", got.Detail)
	}
}

func TestSingleModeSendsOneItemPerCallUnderItsOwnTransactionID(t *testing.T) {
	srv := newFakeServer(t, status(http.StatusNoContent, ""))
	c := newTestClient(t, srv.URL)
	reg := sampleRegistration(sampleItem("T-1"), sampleItem("T-2"), sampleItem("T-3"))

	if err := c.RegisterShipping(context.Background(), ModeSingle, reg); err != nil {
		t.Fatal(err)
	}
	reqs := srv.seen()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	ids := map[string]bool{}
	for i, r := range reqs {
		if r.Path != "/atlas/v1/shipping/item" {
			t.Fatalf("request %d path = %s", i, r.Path)
		}
		var body struct {
			TransactionID string            `json:"transactionId"`
			Items         []json.RawMessage `json:"items"`
		}
		_ = json.Unmarshal(r.Body, &body)
		if len(body.Items) != 1 {
			t.Fatalf("request %d has %d items", i, len(body.Items))
		}
		ids[body.TransactionID] = true
	}
	if len(ids) != 3 {
		t.Fatalf("transactionIds not distinct: %v", ids)
	}
}

func TestRegistrationWithoutItemsIsRejectedLocally(t *testing.T) {
	srv := newFakeServer(t, status(http.StatusNoContent, ""))
	c := newTestClient(t, srv.URL)
	if err := c.RegisterShipping(context.Background(), ModeSingle, sampleRegistration()); !errors.Is(err, ErrNoItems) {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.seen()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestSingleModeReportsWhichItemFailed(t *testing.T) {
	srv := newFakeServer(t, sequence(
		status(http.StatusNoContent, ""),
		status(http.StatusBadRequest, `{"title":"BadRequest","errorCode":100,"detail":"invalid input value.","traceId":"t","invalidParams":[{"name":"uid","reason":"must be required."}]}`),
	))
	c := newTestClient(t, srv.URL)
	err := c.RegisterShipping(context.Background(), ModeSingle, sampleRegistration(sampleItem("T-1"), sampleItem("T-2"), sampleItem("T-3")))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != CodeInvalidInput {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.seen()); n != 2 {
		t.Fatalf("%d requests, want 2 (stop at the failing item)", n)
	}
}
