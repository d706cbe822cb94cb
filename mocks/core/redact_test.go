package core_test

import (
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

func TestRedactQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                                   "",
		"a=1&b=2":                            "a=1&b=2",
		"subscription-key=k&x=1":             "subscription-key=REDACTED&x=1",
		"x=1&Subscription%2DKey=k":           "x=1&Subscription%2DKey=REDACTED",
		"access_token=t&password=p&userid=u": "access_token=REDACTED&password=REDACTED&userid=u",
	} {
		if got := core.RedactQuery(raw); got != want {
			t.Errorf("RedactQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestRedactSecretsKeepsTheRestAsSent(t *testing.T) {
	in := `{"access_token": "aaa.bbb.ccc", "expires_in": 120,
  "metadata": {"criptToken":"opaque"}, "note": "access_token"}`
	want := `{"access_token": "aaa.bbb.REDACTED", "expires_in": 120,
  "metadata": {"criptToken":"REDACTED"}, "note": "access_token"}`
	if got := string(core.RedactSecrets([]byte(in))); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, plain := range []string{`{"a":1}`, `not json "sessionToken"`, ``} {
		if got := string(core.RedactSecrets([]byte(plain))); got != plain {
			t.Errorf("%q changed to %q", plain, got)
		}
	}
}
