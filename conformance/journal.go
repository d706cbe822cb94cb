package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/upmock/upmock/conformance/control"
)

// journalReport is a journal attached to a spec's report: the console shows one line
// per request, machine-readable reports (JUnit properties, --json-report) the entries.
type journalReport []control.Entry

func (j journalReport) String() string {
	if len(j) == 0 {
		return "(no requests)"
	}
	var b strings.Builder
	for _, e := range j {
		b.WriteString(describe(e))
		if e.Body != "" {
			fmt.Fprintf(&b, "\n    request body: %s", clip(e.Body, 600))
		}
		if e.ResponseBody != "" {
			fmt.Fprintf(&b, "\n    response body: %s", clip(e.ResponseBody, 300))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// describe renders one journal entry on one line: sequence number, mock time, method,
// path and query, status, the upstream's errorCode and any fault the mock applied.
func describe(e control.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %s", e.Seq, e.Time.Format("15:04:05.000"), e.Method, e.Path)
	if e.Query != "" {
		b.WriteString("?" + clip(e.Query, 120))
	}
	fmt.Fprintf(&b, " → %d", e.Status)
	if code := errorCode(e.ResponseBody); code != "" {
		fmt.Fprintf(&b, " errorCode %s", code)
	}
	if e.Fault != "" {
		fmt.Fprintf(&b, " (fault injected by the suite: %s)", e.Fault)
	}
	if e.Operation != "" {
		fmt.Fprintf(&b, " [%s]", e.Operation)
	}
	if len(e.Annotations) > 0 {
		keys := make([]string, 0, len(e.Annotations))
		for k := range e.Annotations {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + ": " + e.Annotations[k]
		}
		fmt.Fprintf(&b, " (upmock noted %s)", strings.Join(keys, "; "))
	}
	return b.String()
}

// describeAll renders entries one per line.
func describeAll(entries []control.Entry) string {
	if len(entries) == 0 {
		return "(no requests)"
	}
	lines := make([]string, len(entries))
	for i, e := range entries {
		lines[i] = describe(e)
	}
	return strings.Join(lines, "\n")
}

// errorCode is the upstream's errorCode in an error body ("" when there is none). ATLAS
// documents it as an integer but shows it as a string, so both are read.
func errorCode(body string) string {
	var p struct {
		ErrorCode json.RawMessage `json:"errorCode"`
	}
	if json.Unmarshal([]byte(body), &p) != nil || len(p.ErrorCode) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(p.ErrorCode, &s) == nil {
		return s
	}
	return string(p.ErrorCode)
}

// filter returns the entries for which keep is true.
func filter(entries []control.Entry, keep func(control.Entry) bool) []control.Entry {
	var out []control.Entry
	for _, e := range entries {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}
