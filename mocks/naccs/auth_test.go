package naccs_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks/naccs"
)

func TestTokenEndpoint(t *testing.T) {
	h := newHarness(t)
	post := func(form string, headers map[string]string) response {
		if headers == nil {
			headers = map[string]string{}
		}
		headers["Content-Type"] = "application/x-www-form-urlencoded"
		return h.raw("POST", h.prefix()+naccs.BasePath+"/Token", strings.NewReader(form), headers)
	}
	t.Run("client credentials give a bearer token", func(t *testing.T) {
		res := post("grant_type=client_credentials&client_id=cp-tokyo-admin&client_secret="+secrets[adminClient], nil)
		expectStatus(t, res, 200)
		body := res.json(t)
		if body["token_type"] != "bearer" || body["expires_in"] != float64(3600) || len(body["access_token"].(string)) < 32 {
			t.Fatalf("token %v", body)
		}
	})
	t.Run("HTTP Basic client authentication", func(t *testing.T) {
		req := map[string]string{"Authorization": "Basic " + basic(adminClient, secrets[adminClient])}
		expectStatus(t, post("grant_type=client_credentials", req), 200)
	})
	t.Run("wrong secret is invalid_client", func(t *testing.T) {
		res := post("grant_type=client_credentials&client_id=cp-tokyo-admin&client_secret=nope", nil)
		expectStatus(t, res, 400)
		if res.json(t)["error"] != "invalid_client" {
			t.Fatalf("%s", res.body)
		}
	})
	t.Run("another grant is unsupported_grant_type", func(t *testing.T) {
		res := post("grant_type=password&username=a&password=b", nil)
		expectStatus(t, res, 400)
		if res.json(t)["error"] != "unsupported_grant_type" {
			t.Fatalf("%s", res.body)
		}
	})
	t.Run("the journal hides the client secret", func(t *testing.T) {
		for _, e := range h.sess.Journal.List("naccs", 0) {
			if strings.Contains(e.Body, secrets[adminClient]) {
				t.Fatalf("secret journaled: %s", e.Body)
			}
		}
	})
}

func TestBearerTokens(t *testing.T) {
	h := newHarness(t)
	path := h.prefix() + naccs.BasePath + "/API/v1/NACCS/BusinessCodes"
	t.Run("missing", func(t *testing.T) {
		res := h.raw("GET", path, nil, nil)
		expectMessage(t, res, 401, "Authorization has been denied for this request.")
		if res.header.Get("WWW-Authenticate") != "Bearer" {
			t.Fatalf("WWW-Authenticate %q", res.header.Get("WWW-Authenticate"))
		}
	})
	t.Run("unknown", func(t *testing.T) {
		expectMessage(t, h.raw("GET", path, nil, map[string]string{"Authorization": "Bearer 0000"}), 401, "Authorization has been denied for this request.")
	})
	t.Run("valid until tokenTTL on the session clock", func(t *testing.T) {
		expectStatus(t, h.call("GET", "/API/v1/NACCS/BusinessCodes", nil), 200)
		h.advance(time.Hour)
		expectMessage(t, h.call("GET", "/API/v1/NACCS/BusinessCodes", nil), 401, "Authorization has been denied for this request.")
	})
}

func TestSubscriptionKeyScheme(t *testing.T) {
	h := newHarness(t)
	h.settings(`{"authScheme":"subscriptionKey"}`)
	path := h.prefix() + naccs.BasePath + "/API/v1/NACCS/BusinessCodes"
	res := h.raw("GET", path, nil, nil)
	expectStatus(t, res, 401)
	if res.json(t)["message"] != "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API." {
		t.Fatalf("%s", res.body)
	}
	expectStatus(t, h.raw("GET", path, nil, map[string]string{"Ocp-Apim-Subscription-Key": "nope"}), 401)
	expectStatus(t, h.raw("GET", path, nil, map[string]string{"Ocp-Apim-Subscription-Key": secrets[clerkClient]}), 200)
	// A bearer token does not open the API under this scheme.
	h.settings(`{"authScheme":"clientCredentials"}`)
	tok := h.token()
	h.settings(`{"authScheme":"subscriptionKey"}`)
	expectStatus(t, h.raw("GET", path, nil, map[string]string{"Authorization": "Bearer " + tok}), 401)
	expectStatus(t, h.patchSettings(`{"authScheme":"magic"}`), 400)
}

func TestPermissions(t *testing.T) {
	h := newHarness(t)
	viewer := h.as(viewerClient)
	t.Run("Create needs Write", func(t *testing.T) {
		res := viewer.call("POST", "/API/v1/NACCS/EDA/Create", map[string]any{"businessTypeId": broker, "dealNo": exportDeal, "organizationId": tokyoOrg})
		expectMessage(t, res, 403, "The user does not have write permission.")
	})
	f := h.create("EDA", exportDeal, broker)
	t.Run("Get needs Read and the creating organisation", func(t *testing.T) {
		expectStatus(t, viewer.call("GET", "/API/v1/NACCS/EDA/Get/"+f.id(), nil), 200)
		expectMessage(t, h.as(osakaClient).call("GET", "/API/v1/NACCS/EDA/Get/"+f.id(), nil), 403,
			"Only the organization that created the report can access it.")
	})
	t.Run("a user without a NACCS user cannot send", func(t *testing.T) {
		// The viewer has no write either; the clerk without a NACCS user is made by state.
		res := viewer.call("POST", "/API/v1/NACCS/EDA/Send/"+f.id(), map[string]any{"organizationId": tokyoOrg, "businessTypeId": broker, "_etag": f["_etag"]})
		expectStatus(t, res, 403)
	})
	t.Run("only an administrator sets the webhook", func(t *testing.T) {
		res := h.as(clerkClient).call("POST", "/API/v1/Webhook/Save", map[string]any{"organizationId": tokyoOrg, "name": "x", "url": "http://127.0.0.1:1/x"})
		expectMessage(t, res, 403, "Only an administrator of the organization can set its webhook.")
	})
	t.Run("credentials list every client and signing secret", func(t *testing.T) {
		creds := h.control("GET", "/credentials", nil).json(t)["naccs"].(map[string]any)
		if len(creds["clients"].([]any)) != 4 || creds["organizations"].([]any)[0].(map[string]any)["signingSecret"] != tokyoSecret {
			t.Fatalf("credentials %v", creds)
		}
	})
}

func basic(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
