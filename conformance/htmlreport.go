package conformance

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/upmock/upmock/conformance/control"
)

// The HTML report is one self-contained page: styles inline, no script, no network. A broken
// rule shows its three parts (what the client did, the journal, the upstream's words) open;
// headers and bodies of each request fold open on click (<details>).
//
//go:embed report.html.tmpl
var reportTemplateText string

var reportTemplate = template.Must(template.New("report").Parse(reportTemplateText))

type reportPage struct {
	Title    string
	When     string
	Duration string
	Summary  string
	APIs     []reportAPI
}

type reportAPI struct {
	Name  string
	Rules []reportRule
}

type reportRule struct {
	ID, Title, Verdict, Class string
	Seconds                   string
	Failed                    bool
	Headline                  string // "ATLAS-AUTH-2 broken: …", or the whole message when it is not a broken() one
	Did                       string // what the client did
	Requires                  string // what the upstream requires, in its own words
	RequiresSource            string // where the upstream document says it
	Journal                   []reportEntry
	JournalText               string // the journal as text, when it was not attached as entries
	Calls, Stderr             string
}

type reportEntry struct {
	Line          string
	Failed        bool // answered with a 4xx/5xx, or the connection was dropped
	Headers       string
	Body          string
	ResponseBody  string
	Violations    []string
	BodyTruncated bool
}

// renderHTMLReport renders the report of the specs that ran as one self-contained page.
func renderHTMLReport(reports []types.SpecReport, took time.Duration) ([]byte, error) {
	page := reportPage{
		Title:    SuiteName,
		When:     time.Now().UTC().Format("2006-01-02 15:04:05 UTC"),
		Duration: fmt.Sprintf("%.1fs", took.Seconds()),
	}
	byAPI := map[string][]reportRule{}
	counts := map[string]int{}
	for _, r := range reports {
		rule := reportRuleOf(r)
		byAPI[apiOf(r)] = append(byAPI[apiOf(r)], rule)
		counts[rule.Verdict]++
	}
	for _, api := range append(append([]string(nil), APIs...), "other") {
		rules := byAPI[api]
		if len(rules) == 0 {
			continue
		}
		sort.Slice(rules, func(i, j int) bool { return ruleLess(rules[i].ID, rules[j].ID) })
		page.APIs = append(page.APIs, reportAPI{Name: api, Rules: rules})
	}
	var parts []string
	for _, v := range []string{"BROKEN", "TIMED-OUT", "ERROR", "INTERRUPTED", "passed", "skipped"} {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
		}
	}
	page.Summary = fmt.Sprintf("%s: %s", rulesCount(len(reports)), strings.Join(parts, ", "))
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("HTML report: %w", err)
	}
	return buf.Bytes(), nil
}

// writeHTMLReport writes the report of the specs that ran to path.
func writeHTMLReport(path string, reports []types.SpecReport, took time.Duration) error {
	page, err := renderHTMLReport(reports, took)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, page, 0o644); err != nil {
		return fmt.Errorf("HTML report: %w", err)
	}
	return nil
}

func reportRuleOf(r types.SpecReport) reportRule {
	rule := reportRule{
		ID: ruleOf(r), Title: titleOf(r), Verdict: verdict(r.State),
		Seconds: fmt.Sprintf("%.1fs", r.RunTime.Seconds()),
		Failed:  r.State.Is(types.SpecStateFailureStates),
	}
	rule.Class = map[bool]string{true: "bad", false: "good"}[rule.Failed]
	if r.State == types.SpecStateSkipped {
		rule.Class = "skip"
		rule.Headline = r.Failure.Message
	}
	if !rule.Failed {
		return rule
	}
	rule.Headline, rule.Did, rule.Requires = splitVerdict(r.Failure.Message)
	rule.RequiresSource, rule.Requires = splitRequires(rule.Requires)
	for _, e := range r.ReportEntries {
		switch {
		case strings.HasPrefix(e.Name, "upmock journal"):
			if j, ok := e.GetRawValue().(journalReport); ok {
				rule.Journal = reportEntries(j)
			} else {
				rule.JournalText = e.StringRepresentation()
			}
		case e.Name == "driver calls":
			rule.Calls = e.StringRepresentation()
		case e.Name == "driver stderr":
			rule.Stderr = e.StringRepresentation()
		}
	}
	return rule
}

// splitVerdict splits a broken() message into its headline, what the client did and what the
// upstream requires. Any other failure (a driver that did not answer, a spec that could not
// arrange the upstream) is all headline.
func splitVerdict(msg string) (headline, did, requires string) {
	const didMark, reqMark, tailMark = "\n\nWhat your client did:\n", "\n\nWhat the upstream requires", "\n\nThe session's journal"
	i, j := strings.Index(msg, didMark), strings.Index(msg, reqMark)
	if i < 0 || j < i {
		return strings.TrimSpace(msg), "", ""
	}
	headline = strings.TrimSpace(msg[:i])
	did = dedent(msg[i+len(didMark) : j])
	requires = msg[j+2:]
	if k := strings.Index(requires, tailMark); k >= 0 {
		requires = requires[:k]
	}
	return headline, did, strings.TrimSpace(requires)
}

// splitRequires splits Rule.requires' text into the document's place and its words.
func splitRequires(s string) (source, words string) {
	head, rest, ok := strings.Cut(s, "\n")
	if !ok || !strings.HasPrefix(head, "What the upstream requires (") {
		return "", s
	}
	source = strings.TrimSuffix(strings.TrimPrefix(head, "What the upstream requires ("), "):")
	return source, dedent(rest)
}

// dedent undoes indent.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "  ")
	}
	return strings.Join(lines, "\n")
}

func reportEntries(j journalReport) []reportEntry {
	out := make([]reportEntry, len(j))
	for i, e := range j {
		out[i] = reportEntry{
			Line:          describe(e),
			Failed:        e.Status >= 400 || e.Status == 0,
			Headers:       headerText(e),
			Body:          readableBody(e.Body),
			ResponseBody:  readableBody(e.ResponseBody),
			Violations:    e.SpecViolations,
			BodyTruncated: e.BodyTruncated,
		}
	}
	return out
}

// readableBody indents a JSON body for reading; anything else is shown as it was sent.
func readableBody(body string) string {
	var out bytes.Buffer
	if json.Valid([]byte(body)) && json.Indent(&out, []byte(body), "", "  ") == nil {
		return out.String()
	}
	return body
}

func headerText(e control.Entry) string {
	keys := make([]string, 0, len(e.Headers))
	for k := range e.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range e.Headers[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.String()
}

// ruleLess orders rule IDs by kind, then number (ATLAS-RETRY-2 before ATLAS-RETRY-10).
func ruleLess(a, b string) bool {
	ka, na := splitRuleID(a)
	kb, nb := splitRuleID(b)
	if ka != kb {
		return ka < kb
	}
	return na < nb
}

func splitRuleID(id string) (string, int) {
	i := strings.LastIndex(id, "-")
	n := 0
	if i >= 0 {
		if _, err := fmt.Sscanf(id[i+1:], "%d", &n); err == nil {
			return id[:i], n
		}
	}
	return id, 0
}
