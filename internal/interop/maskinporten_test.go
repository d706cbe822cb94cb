package interop

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/upmock/upmock/mocks"
	"golang.org/x/oauth2/jwt"
)

// TestMaskinportenGrantWithXOAuth2JWT: golang.org/x/oauth2/jwt signs a JWT-bearer grant with
// its own claims (iat back-dated 10 s on purpose, no jti) and gets a Maskinporten token,
// which the Customs token exchange then takes.
func TestMaskinportenGrantWithXOAuth2JWT(t *testing.T) {
	srv := start(t)
	client := maskinportenClient(t, srv)
	conf := &jwt.Config{
		Email:        client.ClientID, // becomes iss
		PrivateKey:   []byte(client.PrivateKeyPEM),
		PrivateKeyID: client.Kid,
		Scopes:       []string{"toll:movement/entry"},
		TokenURL:     srv.URL() + "/maskinporten/token",
		Audience:     srv.URL() + "/maskinporten/",
		// The library's default exp is an hour; Maskinporten takes grants living at most 180 s.
		Expires: 120 * time.Second,
	}
	tok, err := conf.TokenSource(context.Background()).Token()
	if err != nil {
		t.Fatalf("x/oauth2/jwt grant refused: %v", err)
	}
	if tok.AccessToken == "" || !strings.EqualFold(tok.TokenType, "Bearer") || time.Until(tok.Expiry) < 50*time.Minute {
		t.Fatalf("token %+v", tok)
	}

	// The token is a real Maskinporten token: the Customs exchange takes it.
	form := url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {tok.AccessToken}}
	res, err := http.PostForm(srv.URL()+"/ics2no/api/access/external/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"access_token"`) {
		t.Fatalf("exchange: %d %s", res.StatusCode, body)
	}
}

// TestMaskinportenAtTheRootOfItsOwnListener: with Maskinporten served at "/" of its own
// listener (serve --port maskinporten=…), the library is configured with only that host: the
// token URL is <root>/token and the audience <root>/.
func TestMaskinportenAtTheRootOfItsOwnListener(t *testing.T) {
	srv, err := mocks.Start(mocks.Options{AtRoot: map[string]string{"maskinporten": "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	root := srv.RootURL("maskinporten")
	client := maskinportenClient(t, srv)
	conf := &jwt.Config{
		Email: client.ClientID, PrivateKey: []byte(client.PrivateKeyPEM), PrivateKeyID: client.Kid,
		Scopes: []string{"toll:movement/entry"}, TokenURL: root + "/token", Audience: root + "/", Expires: 120 * time.Second,
	}
	if tok, err := conf.TokenSource(context.Background()).Token(); err != nil || tok.AccessToken == "" {
		t.Fatalf("grant at the root listener: %v", err)
	}
}

type mpClient struct {
	ClientID      string   `json:"clientId"`
	Kid           string   `json:"kid"`
	Scopes        []string `json:"scopes"`
	PrivateKeyPEM string   `json:"privateKeyPem"`
}

// maskinportenClient is the first seeded Maskinporten client, from /__upmock/credentials.
func maskinportenClient(t *testing.T, srv *mocks.Server) mpClient {
	t.Helper()
	var creds struct {
		Maskinporten struct {
			Clients []mpClient `json:"clients"`
		} `json:"maskinporten"`
	}
	credentials(t, srv, &creds)
	if len(creds.Maskinporten.Clients) == 0 {
		t.Fatal("no Maskinporten client in /__upmock/credentials")
	}
	return creds.Maskinporten.Clients[0]
}
