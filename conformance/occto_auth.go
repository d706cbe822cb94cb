package conformance

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
	"github.com/upmock/upmock/mocks"
	"github.com/upmock/upmock/mocks/core"
)

var _ = Describe("OCCTO outage-plan WebAPI: authentication", func() {
	It(ruleOcctoAuth1.Name(), ruleOcctoAuth1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoAuth1
		o := newOcctoSession(ctx)
		// One call of every API: a good file (register, status), a broken one (register,
		// status, receipt message), then the plan list and each plan. Whether they succeed
		// is other rules' business; this one is judged on every request they sent.
		good := o.occtoMessage(newOcctoPlan("02", 1))
		broken := strings.Replace(o.occtoMessage(newOcctoPlan("01", 2)), "<STOP_REASON_CD>02<", "<STOP_REASON_CD>99<", 1)
		_, d1 := o.submit(ctx, "auth-good.xml", good)
		_, d2 := o.submit(ctx, "auth-broken.xml", broken)
		_, d3 := o.plans(ctx, "occto.fetchPlans", map[string]string{})

		entries := o.journal(ctx)
		var bad []string
		for _, e := range entries {
			form := occtoForm(e)
			var missing []string
			for _, p := range []string{"userid", "password"} {
				if form.Get(p) == "" {
					missing = append(missing, "no "+p)
				}
			}
			// Present but not taken: in the query, or in a body the upstream could not read.
			if code := resultCode(e); len(missing) == 0 && (code == "1001" || code == "1002" || code == "1003") {
				missing = append(missing, "refused with resultcode "+code)
			}
			if len(missing) > 0 {
				bad = append(bad, describe(e)+": "+strings.Join(missing, ", "))
			}
		}
		check(len(bad) == 0, r, "%d of its %d calls went without credentials the upstream took from the form:\n%s\nDriver: submit %s; submit %s; fetchPlans %s.",
			len(bad), len(entries), strings.Join(bad, "\n"), describeOcctoError(d1), describeOcctoError(d2), describeOcctoError(d3))
		checkSomeAccepted(r, entries, occtoAccepted, "The suite asked for two submissions and every plan.")
		for _, op := range []string{"BA13B101", "BA13B103", "BA13B102"} {
			Expect(byOperation(entries, op)).NotTo(BeEmpty(), "the spec needs a %s call to judge; upmock saw:\n%s", op, describeAll(entries))
		}
	})

	It(ruleOcctoAuth2.Name(), ruleOcctoAuth2.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoAuth2
		// The upmock the other specs share may be plain HTTP; this spec starts its own
		// over TLS, in the suite's process, with a CA and client certificate generated for
		// it, and gives the driver the three PEM files.
		files := newCerts()
		tlsSrv := startTLSUpmock(files, files)
		o := openOcctoSession(ctx)
		sess, err := tlsSrv.Session(o.name)
		Expect(err).NotTo(HaveOccurred())
		settings := o.settings(tlsSrv.URL()+"/s/"+o.name+"/occto", o.user.Password)
		settings["caCert"], settings["clientCert"], settings["clientKey"] = files.CACert, files.ClientCert, files.ClientKey
		o.configure(ctx, settings)

		_, derr := o.plans(ctx, "occto.listPlans", map[string]string{})
		entries := coreEntries(sess.Journal.List("occto", 0))
		AddReportEntry("upmock journal over TLS ("+tlsSrv.URL()+")", journalReport(entries), ReportEntryVisibilityFailureOrVerbose)
		refused := filter(entries, func(e control.Entry) bool { return e.Status == 403 && resultCode(e) == "" })
		check(derr == nil && len(refused) == 0 && len(entries) > 0, r,
			"The suite served OCCTO over HTTPS requiring a client certificate signed by its CA and configured the driver "+
				"with caCert, clientCert and clientKey; then it asked for the plan list.\n"+
				"Refused for want of a client certificate (HTTP 403): %d of %d calls.\n%s\nDriver: listPlans %s.",
			len(refused), len(entries), describeAll(entries), describeOcctoError(derr))
	})

	It(ruleOcctoTLS1.Name(), ruleOcctoTLS1.Labels(), SpecTimeout(time.Minute), func(ctx SpecContext) {
		r := ruleOcctoTLS1
		// Two servers on 127.0.0.1, each accepting the driver's own client certificate: one
		// presents a certificate for 127.0.0.1 from a CA other than the driver's caCert, the
		// other one from the driver's CA but for another host. A client that verifies the
		// server stops at each handshake; one that does not hands its password to an impostor.
		given, impostor := newCerts(), newCerts()
		otherHost := certsForOtherHost()
		var problems, did []string
		for _, c := range []struct {
			what          string
			server, trust core.CertFiles
		}{
			{"a certificate for 127.0.0.1 signed by a CA other than the caCert given", impostor, given},
			{"a certificate signed by the caCert given, for occtonet.invalid, not 127.0.0.1", otherHost, otherHost},
		} {
			tlsSrv := startTLSUpmock(c.server, c.trust)
			o := openOcctoSession(ctx)
			sess, err := tlsSrv.Session(o.name)
			Expect(err).NotTo(HaveOccurred())
			settings := o.settings(tlsSrv.URL()+"/s/"+o.name+"/occto", o.user.Password)
			settings["caCert"], settings["clientCert"], settings["clientKey"] = c.trust.CACert, c.trust.ClientCert, c.trust.ClientKey
			o.configure(ctx, settings)

			_, d1 := o.plans(ctx, "occto.listPlans", map[string]string{})
			_, d2 := o.submit(ctx, "tls-check.xml", o.occtoMessage(newOcctoPlan("01", 1)))
			entries := coreEntries(sess.Journal.List("occto", 0))
			AddReportEntry("upmock journal over TLS ("+tlsSrv.URL()+", "+c.what+")", journalReport(entries), ReportEntryVisibilityFailureOrVerbose)
			did = append(did, fmt.Sprintf("Server with %s: driver listPlans %s; submit %s.", c.what, describeOcctoError(d1), describeOcctoError(d2)))
			if len(entries) > 0 {
				problems = append(problems, fmt.Sprintf("%d requests reached the server with %s, each with the user's password in its form:\n%s",
					len(entries), c.what, describeAll(entries)))
			}
			for _, d := range []struct {
				op  string
				err *driver.Error
			}{{"listPlans", d1}, {"submit", d2}} {
				if d.err == nil {
					problems = append(problems, fmt.Sprintf("the driver reported %s on the server with %s as done", d.op, c.what))
				}
			}
		}
		check(len(problems) == 0, r, "The suite served OCCTO over HTTPS from two servers the driver must not trust, and asked each "+
			"for the plan list and a submission.\n%s\n\n%s", strings.Join(did, "\n"), strings.Join(problems, "\n"))
	})
})

// newCerts generates a CA with a server certificate (localhost, 127.0.0.1) and a client
// certificate into a temporary directory removed when the spec ends.
func newCerts() core.CertFiles {
	GinkgoHelper()
	dir, err := os.MkdirTemp("", "upmock-occto-tls-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	files, err := core.EnsureCerts(dir)
	Expect(err).NotTo(HaveOccurred(), "generating certificates")
	return files
}

// startTLSUpmock starts an OCCTO-only upmock over HTTPS on a free loopback port, closed
// when the spec ends. It presents server's certificate and takes client certificates
// signed by clients' CA: two different sets give a server the driver's CA does not vouch
// for, which still accepts the driver's own certificate.
func startTLSUpmock(server, clients core.CertFiles) *mocks.Server {
	GinkgoHelper()
	cfg, err := core.ServerTLSConfig(core.CertFiles{ServerCert: server.ServerCert, ServerKey: server.ServerKey, CACert: clients.CACert})
	Expect(err).NotTo(HaveOccurred())
	srv, err := mocks.Start(mocks.Options{APIs: []string{"occto"}, TLS: cfg})
	Expect(err).NotTo(HaveOccurred(), "starting upmock over TLS")
	DeferCleanup(func(context.Context) { _ = srv.Close() })
	return srv
}

// coreEntries converts an in-process journal to the control API's entries.
func coreEntries(in []core.Entry) []control.Entry {
	out := make([]control.Entry, 0, len(in))
	for _, e := range in {
		out = append(out, control.Entry{
			Seq: e.Seq, Time: e.Time, API: e.API, Operation: e.Operation, Method: e.Method, Path: e.Path,
			Query: e.Query, Headers: e.Headers, Body: e.Body, BodyTruncated: e.BodyTruncated, Status: e.Status,
			ResponseBody: e.ResponseBody, Fault: e.Fault, SpecViolations: e.SpecViolations, Annotations: e.Annotations,
			DurationMs: e.DurationMs,
		})
	}
	return out
}
