package main

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/upmock/upmock/conformance/drivers/occtodriver"
	"github.com/upmock/upmock/conformance/drivers/sabotage"
)

// apiOf is the API ID a request's path names (…/getBA13B102File → BA13B102).
func apiOf(r *http.Request) string {
	i := strings.Index(r.URL.Path, "BA13B")
	if i < 0 || len(r.URL.Path) < i+8 {
		return ""
	}
	return r.URL.Path[i : i+8]
}

// editForm returns a copy of r whose form-encoded body went through edit.
func editForm(r *http.Request, edit func(url.Values)) (*http.Request, error) {
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("occto-broken: the request body is not a form: %w", err)
	}
	edit(form)
	data := []byte(form.Encode())
	clone := r.Clone(r.Context())
	clone.Body = io.NopCloser(bytes.NewReader(data))
	clone.ContentLength = int64(len(data))
	clone.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return clone, nil
}

// receiptWithoutCredentials drops userid and password from BA13B007 calls.
func receiptWithoutCredentials(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if apiOf(r) != "BA13B007" {
			return next.RoundTrip(r)
		}
		r, err := editForm(r, func(v url.Values) { v.Del("userid"); v.Del("password") })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(r)
	})
}

// skipServerVerify accepts any server certificate, as a client that "fixes" a certificate
// error by turning verification off would; the client certificate is still presented.
func skipServerVerify(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	t, ok := next.(*http.Transport)
	if !ok || t.TLSClientConfig == nil {
		return next
	}
	t = t.Clone()
	t.TLSClientConfig.InsecureSkipVerify = true
	return t
}

// readPrefix keeps at most the first 64 KiB of every answer, as a client that reads into a
// fixed buffer once would.
func readPrefix(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.ReadPrefix(next, nil)
}

// skipHostnameCheck verifies the server's chain against the given CA but not the host
// name, as a client with check_hostname off (or a custom verifier that forgets it) would.
func skipHostnameCheck(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	t, ok := next.(*http.Transport)
	if !ok || t.TLSClientConfig == nil {
		return next
	}
	t = t.Clone()
	roots := t.TLSClientConfig.RootCAs
	t.TLSClientConfig.InsecureSkipVerify = true
	t.TLSClientConfig.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
		certs := make([]*x509.Certificate, len(raw))
		for i, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return err
			}
			certs[i] = c
		}
		if len(certs) == 0 {
			return errors.New("occto-broken: no server certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
		return err
	}
	return t
}

// fixedPlanDivision fetches every plan as 01 年間計画, as a client that keeps only the
// reception number from the list would.
func fixedPlanDivision(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		if apiOf(r) != "BA13B102" {
			return next.RoundTrip(r)
		}
		r, err := editForm(r, func(v url.Values) { v.Set("plandivision", "01") })
		if err != nil {
			return nil, err
		}
		return next.RoundTrip(r)
	})
}

// ignoreResultcode turns a list call's failure (a resultcode other than 0000) into an
// empty list, as a client that checks only the HTTP status and reads an unusable body as
// "no data" would.
func ignoreResultcode(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		res, err := next.RoundTrip(r)
		api := apiOf(r)
		if err != nil || (api != "BA13B103" && api != "BA13B006") {
			return res, err
		}
		code := res.Header.Get("resultcode")
		if code == "" || code == "0000" {
			return res, nil
		}
		_ = res.Body.Close()
		body, err := emptyList("BA13_" + api[4:] + ".xml")
		if err != nil {
			return nil, err
		}
		res.Header.Set("resultcode", "0000")
		res.Header.Set("Content-Type", "text/plain; charset=UTF-8")
		res.Header.Del("Content-Length")
		res.Body, res.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		return res, nil
	})
}

// emptyList is an answer body holding a list without entries.
func emptyList(entry string) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(entry)
	if err != nil {
		return nil, err
	}
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<SBD-MSG>\n</SBD-MSG>\n"))
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return []byte(base64.StdEncoding.EncodeToString(b.Bytes())), nil
}

// hammerOnLimit sends a call answered 2001 again, five more times, before the client sees
// the last answer.
func hammerOnLimit(_ occtodriver.Settings, next http.RoundTripper) http.RoundTripper {
	return sabotage.RoundTripFunc(func(r *http.Request) (*http.Response, error) {
		res, err := next.RoundTrip(r)
		for i := 0; i < 5 && err == nil && res.Header.Get("resultcode") == "2001" && r.GetBody != nil; i++ {
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			body, gerr := r.GetBody()
			if gerr != nil {
				return nil, gerr
			}
			again := r.Clone(r.Context())
			again.Body = body
			res, err = next.RoundTrip(again)
		}
		return res, err
	})
}
