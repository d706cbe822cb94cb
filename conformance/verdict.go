package conformance

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/upmock/upmock/conformance/control"
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
	// DriverTZ is the TZ the driver process runs with in this rule's spec; "" is the
	// upstream's own zone (upstreamZone). See conformance/README.md, "The driver's time zone".
	DriverTZ string
}

// registry holds every rule the suite judges, by ID; rule files fill it with register.
var registry = map[string]Rule{}

// register adds r to the registry and returns it: `ruleX = register(Rule{…})`. An ID
// registered twice is a programming error.
func register(r Rule) Rule {
	if _, dup := registry[r.ID]; dup {
		panic("conformance: rule " + r.ID + " registered twice")
	}
	registry[r.ID] = r
	return r
}

// Rules lists every registered rule, sorted by ID.
func Rules() []Rule {
	out := make([]Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ruleOfSpec is the rule of the running spec, found by the ID its name starts with
// (Rule.Name); false outside a spec or for a spec not named after a rule.
func ruleOfSpec() (Rule, bool) {
	id, _, ok := strings.Cut(CurrentSpecReport().LeafNodeText, ":")
	if !ok {
		return Rule{}, false
	}
	r, ok := registry[id]
	return r, ok
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

// checkSomeAccepted fails the spec as broken(r, …) when the upstream accepted none of
// entries (or there are none): a rule that judges what a client sent — headers, fields,
// keys — must not pass a client whose every call was refused, e.g. one that sends the
// right header with a token the upstream rejects. accepted is the API's own sense of
// success (OCCTO: resultcode 0000; JAIA: result 0; most: a 2xx answer without an injected
// fault). did says what the suite asked for.
func checkSomeAccepted(r Rule, entries []control.Entry, accepted func(control.Entry) bool, did string, args ...any) {
	GinkgoHelper()
	for _, e := range entries {
		if accepted(e) {
			return
		}
	}
	broken(r, "%s\n\nThe upstream accepted none of the client's %d requests, so what they carried does not show the rule kept:\n%s",
		fmt.Sprintf(did, args...), len(entries), describeAll(entries))
}

// indent prefixes every line of s with two spaces.
func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}
