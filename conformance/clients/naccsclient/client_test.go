package naccsclient_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/upmock/upmock/conformance/clients/naccsclient"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/naccs"
)

// Against the NACCS mock itself (fixtures/naccs): the flows the client exists for.

const (
	org        = "5d1c8a2e-7b3f-4e91-a0c4-2f6b9d8e1a01"
	exportDeal = "CP-2026-000101"
	importDeal = "CP-2026-000102"
)

func start(t *testing.T) (*core.Running, *core.Session) {
	t.Helper()
	srv, err := naccs.Start(naccs.Options{ValidateResponses: true, OnResponseViolation: func(api, op string, err error) {
		t.Errorf("%s %s: %v", api, op, err)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	sess, _ := srv.Session(core.DefaultSession)
	return srv, sess
}

func client(t *testing.T, srv *core.Running, id, secret string) *naccsclient.Integration {
	t.Helper()
	c, err := naccsclient.New(naccsclient.Config{
		BaseURL: srv.URL() + naccs.BasePath, ClientID: id, ClientSecret: secret, OrganizationID: org, BusinessTypeID: "02",
		SigningSecret: "cpwh_tokyo_5d1c8a2e_signing_secret_change_me", WebhookWait: 5 * time.Second,
		PollDelay: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	in := naccsclient.NewIntegration(c)
	t.Cleanup(in.Close)
	return in
}

func TestSaveKeepsAConcurrentChange(t *testing.T) {
	srv, _ := start(t)
	ctx := context.Background()
	admin := client(t, srv, "cp-tokyo-admin", "cp-secret-tokyo-admin-change-me")
	clerk := client(t, srv, "cp-tokyo-clerk", "cp-secret-tokyo-clerk-change-me")
	first, err := admin.Save(ctx, "EDA", exportDeal, map[string]string{"exporterCode": "T5010001012345"})
	if err != nil {
		t.Fatal(err)
	}
	stale := first.Clone()
	if _, err := clerk.Save(ctx, "EDA", exportDeal, map[string]string{"remarks": "clerk"}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Update(ctx, "EDA", stale); !naccsclient.IsStatus(err, http.StatusPreconditionFailed) {
		t.Fatalf("a stale update: %v", err)
	}
	final, err := admin.Save(ctx, "EDA", exportDeal, map[string]string{"hsCode": "870899000"})
	if err != nil {
		t.Fatal(err)
	}
	if final.Field("remarks") != "clerk" || final.Field("exporterCode") != "T5010001012345" || final.Field("hsCode") != "870899000" {
		t.Fatalf("final %v", final)
	}
}

// TestSubmitWithAndWithoutWebhook: with the receiver registered the job ends on
// NaccsReceive; with the endpoint down it falls back to polling, and loses nothing.
func TestSubmitWithAndWithoutWebhook(t *testing.T) {
	srv, sess := start(t)
	ctx := context.Background()
	if err := sess.Instance("naccs").PatchSettings([]byte(`{"processingDelay":"0s"}`)); err != nil {
		t.Fatal(err)
	}
	in := client(t, srv, "cp-tokyo-admin", "cp-secret-tokyo-admin-change-me")
	hook := httptest.NewServer(in.Handler())
	defer hook.Close()
	if err := in.SaveWebhook(ctx, "test", hook.URL); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{"declarationNo": "10012345670"}
	job, err := in.Submit(ctx, "IDB", importDeal, fields)
	if err != nil || job.Output.Status != "completed" || job.Output.Outputs[0].Fields["goodsDescription"] != "NOTEBOOK COMPUTERS" {
		t.Fatalf("job %+v %v", job, err)
	}
	if got := in.Receiver().Received(); len(got) != 1 || !got[0].Accepted {
		t.Fatalf("received %+v", got)
	}
	amended, err := in.Amend(ctx, "IDB", importDeal, fields, map[string]string{"goodsDescription": "LAPTOPS"})
	if err != nil || amended.Output.Status != "completed" {
		t.Fatalf("amend: %v %+v", err, amended)
	}

	// The endpoint goes down: the job polls after WebhookWait and still gets its output.
	hook.Close()
	c, _ := naccsclient.New(naccsclient.Config{BaseURL: srv.URL() + naccs.BasePath, ClientID: "cp-tokyo-clerk",
		ClientSecret: "cp-secret-tokyo-clerk-change-me", OrganizationID: org, BusinessTypeID: "02", SigningSecret: "x",
		WebhookWait: 20 * time.Millisecond, PollDelay: 10 * time.Millisecond})
	down := naccsclient.NewIntegration(c)
	defer down.Close()
	job, err = down.Submit(ctx, "ICG", importDeal, map[string]string{"blNo": "NYKS123456789"})
	if err != nil || job.Output.Status != "completed" || job.Output.Outputs[0].Fields["vesselName"] != "NYK VEGA" {
		t.Fatalf("polled job %+v %v", job, err)
	}
}
