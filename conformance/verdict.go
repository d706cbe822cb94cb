package conformance

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
)

// Rule is one upstream rule a spec checks, with the upstream document's own words.
type Rule struct {
	ID     string // e.g. "ATLAS-AUTH-1"; stable, used in spec names and reports
	API    string // label "api:…"
	Kind   string // label "kind:…"
	Title  string // the rule in one English line
	Source string // where the upstream document says it
	Quote  string // the upstream document's words, verbatim
	Gloss  string // the same in English
}

// Name is the spec's name: the rule ID and the rule.
func (r Rule) Name() string { return r.ID + ": " + r.Title }

// Labels are the spec's ginkgo labels: its API and its kind of rule.
func (r Rule) Labels() Labels { return Label("api:"+r.API, "kind:"+r.Kind) }

// requires renders what the upstream requires, for failure messages.
func (r Rule) requires() string {
	return fmt.Sprintf("What the upstream requires (%s):\n  「%s」\n  %s", r.Source, r.Quote, r.Gloss)
}

// broken fails the current spec because the client broke rule r. did says what the
// client did, quoting the journal; the message adds what the upstream requires.
func broken(r Rule, did string, args ...any) {
	GinkgoHelper()
	Fail(fmt.Sprintf("%s broken: %s.\n\nWhat your client did:\n%s\n\n%s\n\n"+
		"The session's journal and the driver's calls are attached to this spec's report.",
		r.ID, r.Title, indent(fmt.Sprintf(did, args...)), r.requires()))
}

// check fails the spec as broken(r, …) unless ok.
func check(ok bool, r Rule, did string, args ...any) {
	GinkgoHelper()
	if !ok {
		broken(r, did, args...)
	}
}

// indent prefixes every line of s with two spaces.
func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
