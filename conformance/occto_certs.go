package conformance

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/mocks/core"
)

// certsForOtherHost writes a CA, a server certificate it signs for the host occtonet.invalid
// only (no address), and a client certificate it signs, into a temporary directory removed
// when the spec ends: a server on 127.0.0.1 presenting it is vouched for by the CA, but not
// for the host the client connects to. (core.EnsureCerts keeps its CA key to itself and
// issues for localhost.)
func certsForOtherHost() core.CertFiles {
	GinkgoHelper()
	dir, err := os.MkdirTemp("", "upmock-occto-tls-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	files := core.CertFilesIn(dir)
	caKey := newKey()
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "conformance CA for another host"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER := createCert(ca, ca, &caKey.PublicKey, caKey)
	writePEMFile(files.CACert, "CERTIFICATE", caDER)
	caCert, err := x509.ParseCertificate(caDER)
	Expect(err).NotTo(HaveOccurred())
	for _, c := range []struct {
		file, keyFile string
		tmpl          x509.Certificate
	}{
		{files.ServerCert, files.ServerKey, x509.Certificate{Subject: pkix.Name{CommonName: "occtonet.invalid"},
			DNSNames: []string{"occtonet.invalid"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}},
		{files.ClientCert, files.ClientKey, x509.Certificate{Subject: pkix.Name{CommonName: "conformance client"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}},
	} {
		key := newKey()
		tmpl := c.tmpl
		tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = big.NewInt(time.Now().UnixNano()), ca.NotBefore, ca.NotAfter
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		writePEMFile(c.file, "CERTIFICATE", createCert(&tmpl, caCert, &key.PublicKey, caKey))
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		Expect(err).NotTo(HaveOccurred())
		writePEMFile(c.keyFile, "PRIVATE KEY", keyDER)
	}
	return files
}

func newKey() *ecdsa.PrivateKey {
	GinkgoHelper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	return key
}

func createCert(tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) []byte {
	GinkgoHelper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	Expect(err).NotTo(HaveOccurred(), "issuing %s", tmpl.Subject.CommonName)
	return der
}

func writePEMFile(path, kind string, der []byte) {
	GinkgoHelper()
	Expect(os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)).To(Succeed())
}
