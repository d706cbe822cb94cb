package ics2noclient_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/ics2no"
)

// The client against the mock itself: both token hops, presentation, status, routing.
func newClient(t *testing.T, tweak func(*ics2noclient.Config)) (*ics2noclient.Client, *core.Session, *core.Running) {
	t.Helper()
	srv, err := ics2no.Start(ics2no.Options{ValidateResponses: true, OnResponseViolation: func(api, op string, err error) {
		t.Errorf("%s %s: %v", api, op, err)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, _ := srv.Session(core.DefaultSession)
	raw, _ := fs.ReadFile(fixtures.FS, "ics2no/client/test-client-key.pem")
	key, err := ics2noclient.ParsePrivateKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ics2noclient.Config{
		MaskinportenURL: srv.URL() + "/maskinporten", BaseURL: srv.URL() + "/ics2no",
		ClientID: "2f5c8a1e-7b3d-4c9e-a6f0-1d2e3f4a5b6c", Key: key, KID: "upmock-ics2no-test-client-1",
		PollInterval: 5 * time.Millisecond, BaseDelay: time.Millisecond,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := ics2noclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sess, srv
}

func hc(doc, typ string, containers ...string) ics2noclient.Goods {
	return ics2noclient.Goods{Kind: ics2noclient.KindHouseConsignment, CustomsOfficeOfPresentation: "NO351001", DocumentNumber: doc, Type: typ, Containers: containers}
}

func TestPresentFollowRoutingDecide(t *testing.T) {
	c, sess, _ := newClient(t, nil)
	ctx := context.Background()
	inst := sess.Instance("ics2no")
	if err := inst.PatchSettings([]byte(`{"processingDelay":"20ms"}`)); err != nil {
		t.Fatal(err)
	}
	p, err := c.Present(ctx, hc("HC004", "N714", "JARU0000010"))
	if err != nil || p.Status != ics2noclient.StatusSuccess || p.AlreadyPresented {
		t.Fatalf("present: %+v %v", p, err)
	}
	again, err := c.Present(ctx, hc("HC004", "N714", "JARU0000010"))
	if err != nil || !again.AlreadyPresented || again.RequestID != p.RequestID {
		t.Fatalf("present again: %+v %v", again, err)
	}
	if _, err := c.Present(ctx, hc("HC004", "N714", "JARU0000026")); err != nil {
		t.Fatal(err)
	}
	_, err = c.Present(ctx, hc("HC999", "N740"))
	var vf *ics2noclient.ValidationFailure
	if !errors.As(err, &vf) || vf.Errors[0].Pointer.MessageElementPath != "transportDocumentHouseLevel.documentNumber" {
		t.Fatalf("off-list presentation: %v", err)
	}
	signals, err := c.FetchRouting(ctx)
	if err != nil || len(signals) != 2 {
		t.Fatalf("routing: %d signals, %v", len(signals), err)
	}
	if more, err := c.FetchRouting(ctx); err != nil || len(more) != 0 {
		t.Fatalf("routing again: %d signals, %v", len(more), err)
	}
	got := map[string]string{}
	for _, d := range c.Decisions(nil) {
		got[d.ContainerIdentificationNumber] = d.Action
	}
	if got["JARU0000010"] != ics2noclient.ActionControl || got["JARU0000026"] != ics2noclient.ActionRelease || len(got) != 2 {
		t.Fatalf("decisions %v", got)
	}
	// Routing GETs: the first without marker, every later one with the last id seen.
	var markers []string
	for _, e := range sess.Journal.List("ics2no", 0) {
		if e.Operation == "getHouseConsignmentRouting" {
			markers = append(markers, e.Query)
		}
	}
	if len(markers) != 3 || markers[0] != "" || !strings.HasPrefix(markers[1], "marker=") || markers[2] != markers[1] {
		t.Fatalf("routing queries %q", markers)
	}
}

// TestTokensAreReusedAndRenewed: one grant and one exchange while the token is good; after
// the service's clock has passed its expiry, the 401 makes the client renew both hops.
func TestTokensAreReusedAndRenewed(t *testing.T) {
	c, sess, _ := newClient(t, nil)
	ctx := context.Background()
	for range 3 {
		if _, err := c.FetchRouting(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Instance("maskinporten").PatchSettings([]byte(`{"grantClockSkew":"2h"}`)); err != nil {
		t.Fatal(err)
	}
	sess.Clock.Advance(3661 * time.Second)
	if _, err := c.FetchRouting(ctx); err != nil {
		t.Fatal(err)
	}
	count := func(api, op string) (n int) {
		for _, e := range sess.Journal.List(api, 0) {
			if e.Operation == op {
				n++
			}
		}
		return n
	}
	if g, x := count("maskinporten", "postToken"), count("ics2no", "postTokenExchange"); g != 2 || x != 2 {
		t.Fatalf("%d grants and %d exchanges, want 2 and 2", g, x)
	}
	unauthorized := 0
	for _, e := range sess.Journal.List("ics2no", 0) {
		if e.Status == 401 {
			unauthorized++
		}
	}
	if unauthorized != 1 {
		t.Fatalf("%d calls answered 401, want the one that found the token expired", unauthorized)
	}
}

func TestRetryKeepsTheRequestID(t *testing.T) {
	c, sess, _ := newClient(t, nil)
	ctx := context.Background()
	if err := sess.Instance("ics2no").PatchSettings([]byte(`{"processingDelay":"0s"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.AddFault(core.Fault{API: "ics2no", Method: "POST", Path: "/api/movement/presentation/*", Status: 503, Phase: "after"}); err != nil {
		t.Fatal(err)
	}
	p, err := c.Present(ctx, hc("HC001", "N740"))
	if err != nil || p.Status != ics2noclient.StatusSuccess {
		t.Fatalf("present through a 503: %+v %v", p, err)
	}
	var ids []string
	for _, e := range sess.Journal.List("ics2no", 0) {
		if e.Operation == "presentHouseConsignment" {
			ids = append(ids, e.Annotations["requestId"])
		}
	}
	if len(ids) != 2 || ids[0] != "accepted "+p.RequestID || ids[1] != "reused "+p.RequestID {
		t.Fatalf("attempts %q", ids)
	}
}
