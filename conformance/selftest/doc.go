// Package selftest judges the conformance suite itself: built once as a test binary, run
// against one in-process upmock with the project's reference drivers (Go and Python),
// which must pass every spec, and with each defect of the broken ATLAS driver, which must
// fail exactly the specs of the rule it breaks — no more, no fewer.
package selftest
