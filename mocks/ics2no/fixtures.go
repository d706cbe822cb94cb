package ics2no

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"

	"github.com/upmock/upmock/mocks/core"
)

// Fixture files, relative to fixtures/ics2no/.
const (
	fileSettings        = "settings.json"
	fileStaticList      = "playground-static-list.txt"
	fileOffices         = "cl141-customs-offices.json"
	fileDocumentTypes   = "cl754-transport-document-types.json"
	fileTollKey         = "toll-signing-key.pem"
	fileMPSettings      = "maskinporten/settings.json"
	fileMPClients       = "maskinporten/clients.json"
	fileMPKey           = "maskinporten/signing-key.pem"
	fixturesRepoPrefix  = "fixtures/ics2no/"
	embeddedFixturesDir = "ics2no"
)

// ics2noFixtures is the instance's fixture directory, fixtures/ics2no/ (or --fixtures').
func ics2noFixtures(env *core.Env) (fs.FS, error) { return env.Fixtures, nil }

// maskinportenFixtures is where Maskinporten finds its clients and key: fixtures/ics2no/
// (the issue keeps both upstreams' data there; MaskinportenAPI.FixtureDir tells the core).
func maskinportenFixtures(env *core.Env) (fs.FS, error) { return ics2noFixtures(env) }

// readPrivateKey reads an RSA private key (PKCS #8 or PKCS #1 PEM).
func readPrivateKey(fsys fs.FS, name string) (*rsa.PrivateKey, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("ics2no fixtures: %w", err)
	}
	key, err := ParsePrivateKeyPEM(raw)
	if err != nil {
		return nil, fmt.Errorf("ics2no fixtures: %s: %w", name, err)
	}
	return key, nil
}

// ParsePrivateKeyPEM reads an RSA private key from PEM (PKCS #8 or PKCS #1).
func ParsePrivateKeyPEM(raw []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%T is not an RSA key", k)
	}
	return rk, nil
}

// parseCertificatePEM reads the first certificate of a PEM file.
func parseCertificatePEM(raw []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("no CERTIFICATE PEM block")
	}
	return x509.ParseCertificate(block.Bytes)
}

// keyThumbprint is the RFC 7638 JWK thumbprint of an RSA public key, the shape of
// Maskinporten's own kid (43 base64url characters).
func keyThumbprint(pub *rsa.PublicKey) string {
	enc := base64.RawURLEncoding
	e := big.NewInt(int64(pub.E)).Bytes()
	canonical := fmt.Sprintf(`{"e":%q,"kty":"RSA","n":%q}`, enc.EncodeToString(e), enc.EncodeToString(pub.N.Bytes()))
	sum := sha256.Sum256([]byte(canonical))
	return enc.EncodeToString(sum[:])
}

// officeList is fixtures/ics2no/cl141-customs-offices.json.
type officeList struct {
	Source  string `json:"source"`
	Offices []struct {
		ReferenceNumber string `json:"referenceNumber"`
		Name            string `json:"name,omitempty"`
		Source          string `json:"source"`
	} `json:"offices"`
}

// documentTypeList is fixtures/ics2no/cl754-transport-document-types.json.
type documentTypeList struct {
	Source string `json:"source"`
	Codes  []struct {
		Code string `json:"code"`
		EN   string `json:"en"`
		NO   string `json:"no"`
	} `json:"codes"`
}
