package interop

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TestNACCSTokenWithXOAuth2ClientCredentials: golang.org/x/oauth2/clientcredentials gets a
// NACCS token with the client authenticated in the Authorization header and in the body, and
// its HTTP client calls the API with the Bearer token.
func TestNACCSTokenWithXOAuth2ClientCredentials(t *testing.T) {
	srv := start(t)
	var creds struct {
		NACCS struct {
			Clients []struct {
				ClientID     string `json:"clientId"`
				ClientSecret string `json:"clientSecret"`
			} `json:"clients"`
		} `json:"naccs"`
	}
	credentials(t, srv, &creds)
	if len(creds.NACCS.Clients) == 0 {
		t.Fatal("no NACCS client in /__upmock/credentials")
	}
	c := creds.NACCS.Clients[0]
	for _, style := range []struct {
		name  string
		style oauth2.AuthStyle
	}{{"AuthStyleInHeader", oauth2.AuthStyleInHeader}, {"AuthStyleInParams", oauth2.AuthStyleInParams}} {
		t.Run(style.name, func(t *testing.T) {
			conf := &clientcredentials.Config{
				ClientID: c.ClientID, ClientSecret: c.ClientSecret,
				TokenURL: srv.URL() + "/naccs/Token", AuthStyle: style.style,
			}
			ctx := context.Background()
			tok, err := conf.Token(ctx)
			if err != nil {
				t.Fatalf("token: %v", err)
			}
			if tok.AccessToken == "" || tok.Expiry.IsZero() {
				t.Fatalf("token %+v", tok)
			}
			res, err := conf.Client(ctx).Get(srv.URL() + "/naccs/API/v1/NACCS/BusinessCodes")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var list struct {
				Businesses []map[string]any `json:"businesses"`
			}
			if err := json.NewDecoder(res.Body).Decode(&list); res.StatusCode != 200 || err != nil || len(list.Businesses) != 27 {
				t.Fatalf("business codes with the library's client: %d, %d codes, %v", res.StatusCode, len(list.Businesses), err)
			}
		})
	}
	t.Run("without the library's token the call is refused", func(t *testing.T) {
		res, err := http.Get(srv.URL() + "/naccs/API/v1/NACCS/BusinessCodes")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Fatalf("no token: %d, want 401", res.StatusCode)
		}
	})
	t.Run("a wrong secret is refused", func(t *testing.T) {
		conf := &clientcredentials.Config{ClientID: c.ClientID, ClientSecret: "wrong", TokenURL: srv.URL() + "/naccs/Token", AuthStyle: oauth2.AuthStyleInHeader}
		_, err := conf.Token(context.Background())
		var re *oauth2.RetrieveError
		if !asRetrieveError(err, &re) || re.ErrorCode != "invalid_client" {
			t.Fatalf("wrong secret: %v, want invalid_client", err)
		}
	})
}
