// Package conformance is upmock's conformance suite: ginkgo specs that judge a client of an
// upstream API by what it sends to the upstream's mock, each spec checking one rule of the
// upstream's own document (README.md lists them).
//
// It runs two ways, like csi-sanity: as a command (go tool ginkgo ./conformance -- --driver=CMD,
// or a precompiled go test -c binary) against a driver process speaking DRIVER.md's protocol,
// and as a library, Run, from a Go client's own test. The specs therefore live in the
// package itself, not in its test files.
//
// Following the Kubernetes suite, specs carry labels (api:…, kind:…) and a stable rule ID in
// their name, and DeferCleanup resets each spec's upmock session. Where this differs from the
// examples in STYLE.md: there is no BeforeSuite (the shared upmock starts on first use), so
// that a Go client's test calling Run keeps its own suite-level nodes; and failures are
// written by hand (broken) rather than by Gomega matchers, because the message must quote the
// journal and the upstream's rule, which a matcher's "Expected … to equal …" cannot.
package conformance
