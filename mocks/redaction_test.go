package mocks_test

// Every API's secrets, sent and issued, are kept out of the journal and the log.

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/upmock/upmock/conformance/clients/ics2noclient"
	"github.com/upmock/upmock/mocks"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// secretsRun drives each API's authentication and collects what must never be journaled.
type secretsRun struct {
	t       *testing.T
	base    string
	secrets map[string]string // what → the secret (for a JWT: its signature)
}

func (s *secretsRun) do(method, path, contentType, body string, header ...string) map[string]any {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// secret records v; a JWT is recorded by its signature, the part that must not leak.
func (s *secretsRun) secret(what string, v any) {
	s.t.Helper()
	str, _ := v.(string)
	if str == "" {
		s.t.Fatalf("%s: no secret in the answer", what)
	}
	if parts := strings.Split(str, "."); len(parts) == 3 {
		str = parts[2]
	}
	s.secrets[what] = str
}

func TestJournalAndLogHoldNoSecret(t *testing.T) {
	var logs lockedBuffer
	srv, err := mocks.Start(mocks.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s := &secretsRun{t: t, base: srv.URL(), secrets: map[string]string{}}
	var creds struct {
		Atlas struct {
			APIKeys []struct{ APIKey, APISecret string }
		}
		JAIA struct {
			Users []struct{ UserMail, Password string }
		}
		NACCS struct {
			Clients []struct{ ClientID, ClientSecret string }
		}
		Maskinporten struct {
			Clients []struct{ ClientID, KID, PrivateKeyPEM string }
		}
		OCCTO struct {
			Users []struct{ UserID, Password string }
		}
	}
	raw, _ := json.Marshal(s.do("GET", "/__upmock/credentials", "", ""))
	if err := json.Unmarshal(raw, &creds); err != nil {
		t.Fatal(err)
	}

	// ATLAS: the API secret signs a JWT (its signature must go); temporary AWS credentials come back.
	atlasKey := creds.Atlas.APIKeys[0]
	sess, _ := srv.Session("default")
	grant, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"requestDate": sess.Clock.Now().UTC().Format("2006-01-02T15:04:05Z")}).SignedString([]byte(atlasKey.APISecret))
	s.secret("ATLAS API secret", atlasKey.APISecret)
	s.secret("ATLAS request JWT", grant)
	aws := s.do("GET", "/atlas/v1/log/credentials", "", "", "X-ATLAS-API-Key", atlasKey.APIKey, "Authorization", grant)
	s.secret("ATLAS secretAccessKey", aws["secretAccessKey"])
	s.secret("ATLAS sessionToken", aws["sessionToken"])

	// JAIA: the login password goes in, the criptToken comes back and goes in again.
	user := creds.JAIA.Users[0]
	s.secret("JAIA password", user.Password)
	login := s.do("POST", "/jaia/auth", "application/json", `{"appId":"EXTERNAL","userMail":"`+user.UserMail+`","password":"`+user.Password+`"}`)
	meta, _ := login["metadata"].(map[string]any)
	s.secret("JAIA criptToken", meta["criptToken"])

	// NACCS: client credentials give a token; the subscription key may ride in the query.
	client := creds.NACCS.Clients[0]
	s.secret("NACCS client secret", client.ClientSecret)
	tok := s.do("POST", "/naccs/Token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"client_credentials"}, "client_id": {client.ClientID}, "client_secret": {client.ClientSecret}}.Encode())
	s.secret("NACCS access token", tok["access_token"])
	s.do("GET", "/naccs/API/v1/NACCS/BusinessCodes", "", "", "Authorization", "Bearer "+tok["access_token"].(string))
	s.do("PATCH", "/__upmock/settings/naccs", "application/json", `{"authScheme":"subscriptionKey"}`)
	s.do("GET", "/naccs/API/v1/NACCS/BusinessCodes?subscription-key="+url.QueryEscape(client.ClientSecret), "", "")

	// Maskinporten and Customs: a signed grant gives a JWT, exchanged for another JWT.
	mp := creds.Maskinporten.Clients[0]
	block, _ := pem.Decode([]byte(mp.PrivateKeyPEM))
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ics, err := ics2noclient.New(ics2noclient.Config{MaskinportenURL: s.base + "/maskinporten", BaseURL: s.base + "/ics2no",
		ClientID: mp.ClientID, Key: key.(*rsa.PrivateKey), KID: mp.KID, Now: sess.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	assertion, err := ics.Grant()
	if err != nil {
		t.Fatal(err)
	}
	s.secret("Maskinporten grant", assertion)
	mpTok := s.do("POST", "/maskinporten/token", "application/x-www-form-urlencoded",
		url.Values{"grant_type": {ics2noclient.GrantType}, "assertion": {assertion}}.Encode())
	s.secret("Maskinporten token", mpTok["access_token"])
	customs := s.do("POST", "/ics2no"+ics2noclient.ExchangePath, "application/x-www-form-urlencoded",
		url.Values{"grant_type": {"token-exchange"}, "subject_token_type": {"access_token"}, "subject_token": {mpTok["access_token"].(string)}}.Encode())
	s.secret("Customs token", customs["access_token"])

	// OCCTO: user ID and password ride in the query or the form.
	occto := creds.OCCTO.Users[0]
	s.secret("OCCTO password", occto.Password)
	s.do("POST", "/occto/service/RP12/OCCTO/api/listDownload/getBA13B103FileList?userid="+occto.UserID+"&password="+url.QueryEscape(occto.Password),
		"application/x-www-form-urlencoded", "")

	journal, _ := json.Marshal(s.do("GET", "/__upmock/requests", "", ""))
	if !strings.Contains(string(journal), "/log/credentials") || !strings.Contains(string(journal), "getBA13B103FileList") {
		t.Fatalf("the journal lacks the requests: %.500s", journal)
	}
	for what, secret := range s.secrets {
		if strings.Contains(string(journal), secret) {
			t.Errorf("the journal holds the %s", what)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds the %s", what)
		}
	}
	// Redaction keeps a JWT readable: its header and claims stay.
	if parts := strings.Split(mpTok["access_token"].(string), "."); !strings.Contains(string(journal), parts[0]+"."+parts[1]+".REDACTED") {
		t.Error("the Maskinporten token's header and payload are not kept readable")
	}
}
