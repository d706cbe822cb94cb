package ics2no

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// MaskinportenState is Maskinporten's model, and what GET/PUT /__upmock/state/maskinporten
// exchange: the registered clients and the grant IDs (jti) seen while they could be replayed.
type MaskinportenState struct {
	Clients  []*MPClient `json:"clients"`
	UsedJTIs []UsedJTI   `json:"usedJtis"`
}

// MPClient is a Maskinporten client (an integration registered in Samarbeidsportalen): its
// client_id, the organisation it acts for, its scopes, and the keys it signs grants with.
type MPClient struct {
	ClientID string   `json:"clientId"`
	OrgNo    string   `json:"orgNo"`
	Name     string   `json:"name,omitempty"`
	Scopes   []string `json:"scopes"`
	// Keys are registered keys a grant names with kid.
	Keys []MPKey `json:"keys"`
	// Certificates are the business certificates a grant may carry in x5c.
	Certificates []MPCertificate `json:"certificates"`
	// PrivateKeyFile is the test client's own key (fixtures only), for /__upmock/credentials.
	PrivateKeyFile string `json:"privateKeyFile,omitempty"`
}

// MPKey is a registered key: its kid and the certificate holding the public key. The
// fixture names a file; the state carries the PEM.
type MPKey struct {
	Kid             string `json:"kid"`
	CertificateFile string `json:"certificateFile,omitempty"`
	CertificatePEM  string `json:"certificatePem,omitempty"`
}

// MPCertificate is a business certificate accepted in x5c.
type MPCertificate struct {
	CertificateFile string `json:"certificateFile,omitempty"`
	CertificatePEM  string `json:"certificatePem,omitempty"`
}

// UsedJTI is a grant ID Maskinporten refuses to see again until Until (session clock).
type UsedJTI struct {
	JTI   string    `json:"jti"`
	Until time.Time `json:"until"`
}

// mpClient is a client with its keys parsed.
type mpClient struct {
	*MPClient
	keys   map[string]*rsa.PublicKey      // by kid
	certs  map[[32]byte]*x509.Certificate // by SHA-256 of the DER
	scopes map[string]bool
}

// mpStore is one session's Maskinporten model, guarded by one mutex.
type mpStore struct {
	mu       sync.Mutex
	clock    *core.Clock
	settings MaskinportenSettings
	state    MaskinportenState
	clients  map[string]*mpClient
	used     map[string]time.Time
}

// resolveFiles fills the PEMs a fixture names by file.
func resolveFiles(fsys fs.FS, state *MaskinportenState) error {
	read := func(name string) (string, error) {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return "", fmt.Errorf("ics2no fixtures: %w", err)
		}
		return string(raw), nil
	}
	for _, c := range state.Clients {
		for i := range c.Keys {
			if f := c.Keys[i].CertificateFile; f != "" {
				pem, err := read(f)
				if err != nil {
					return err
				}
				c.Keys[i].CertificatePEM, c.Keys[i].CertificateFile = pem, ""
			}
		}
		for i := range c.Certificates {
			if f := c.Certificates[i].CertificateFile; f != "" {
				pem, err := read(f)
				if err != nil {
					return err
				}
				c.Certificates[i].CertificatePEM, c.Certificates[i].CertificateFile = pem, ""
			}
		}
	}
	return nil
}

// load replaces the state and rebuilds the indexes, refusing inconsistent data.
func (s *mpStore) load(state MaskinportenState) error {
	clients := map[string]*mpClient{}
	for _, c := range state.Clients {
		if c == nil || c.ClientID == "" || c.OrgNo == "" {
			return errors.New("maskinporten state: every client needs a clientId and an orgNo")
		}
		if _, dup := clients[c.ClientID]; dup {
			return fmt.Errorf("maskinporten state: client %s appears twice", c.ClientID)
		}
		idx := &mpClient{MPClient: c, keys: map[string]*rsa.PublicKey{}, certs: map[[32]byte]*x509.Certificate{}, scopes: map[string]bool{}}
		for _, sc := range c.Scopes {
			idx.scopes[sc] = true
		}
		for _, k := range c.Keys {
			cert, err := parseCertificatePEM([]byte(k.CertificatePEM))
			if err != nil {
				return fmt.Errorf("maskinporten state: client %s key %s: %w", c.ClientID, k.Kid, err)
			}
			pub, ok := cert.PublicKey.(*rsa.PublicKey)
			if !ok || k.Kid == "" {
				return fmt.Errorf("maskinporten state: client %s: key %q needs a kid and an RSA certificate", c.ClientID, k.Kid)
			}
			idx.keys[k.Kid] = pub
		}
		for _, pc := range c.Certificates {
			cert, err := parseCertificatePEM([]byte(pc.CertificatePEM))
			if err != nil {
				return fmt.Errorf("maskinporten state: client %s certificate: %w", c.ClientID, err)
			}
			idx.certs[sha256.Sum256(cert.Raw)] = cert
		}
		clients[c.ClientID] = idx
	}
	used := make(map[string]time.Time, len(state.UsedJTIs))
	for _, u := range state.UsedJTIs {
		used[u.JTI] = u.Until
	}
	s.state, s.clients, s.used = state, clients, used
	return nil
}

func (s *mpStore) replace(state MaskinportenState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(state)
}

// snapshot is the state as JSON-ready data: clients, and the grant IDs still remembered.
func (s *mpStore) snapshot() (MaskinportenState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(s.clock.Now())
	out := MaskinportenState{Clients: s.state.Clients, UsedJTIs: make([]UsedJTI, 0, len(s.used))}
	for jti, until := range s.used {
		out.UsedJTIs = append(out.UsedJTIs, UsedJTI{JTI: jti, Until: until})
	}
	// Ties broken by ID: the same state always exports the same bytes (--state-dir writes
	// only what changed).
	sort.Slice(out.UsedJTIs, func(i, j int) bool {
		a, b := out.UsedJTIs[i], out.UsedJTIs[j]
		return a.Until.Before(b.Until) || a.Until.Equal(b.Until) && a.JTI < b.JTI
	})
	raw, err := json.Marshal(out)
	if err != nil {
		return MaskinportenState{}, err
	}
	var copied MaskinportenState
	return copied, json.Unmarshal(raw, &copied)
}

func (s *mpStore) currentSettings() MaskinportenSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *mpStore) setSettings(settings MaskinportenSettings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = settings
}

func (s *mpStore) client(id string) (*mpClient, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[id]
	return c, ok
}

// useJTI records a grant ID until until, or reports that it was seen and still counts.
func (s *mpStore) useJTI(jti string, until time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.pruneLocked(now)
	if prev, seen := s.used[jti]; seen && now.Before(prev) {
		return false
	}
	s.used[jti] = until
	return true
}

// pruneLocked forgets grant IDs whose replay window has passed, so the map stays bounded
// by the grants of the last few minutes.
func (s *mpStore) pruneLocked(now time.Time) {
	for jti, until := range s.used {
		if !now.Before(until) {
			delete(s.used, jti)
		}
	}
}
