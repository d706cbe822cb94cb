package interop

import (
	"encoding/json"
	"errors"
	"golang.org/x/oauth2"
	"net/http"
	"testing"

	"github.com/upmock/upmock/mocks"
)

// start serves every API on a free loopback port, checking answers against the documents.
func start(t *testing.T) *mocks.Server {
	t.Helper()
	srv, err := mocks.Start(mocks.Options{
		ValidateResponses:   true,
		OnResponseViolation: func(api, op string, err error) { t.Errorf("%s %s answer breaks the document: %v", api, op, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// credentials reads GET /__upmock/credentials into out, as a user would.
func credentials(t *testing.T, srv *mocks.Server, out any) {
	t.Helper()
	res, err := http.Get(srv.URL() + "/__upmock/credentials")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

func asRetrieveError(err error, target **oauth2.RetrieveError) bool { return errors.As(err, target) }
