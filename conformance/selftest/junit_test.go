package selftest

import (
	"encoding/xml"
	"fmt"
	"os"
	"regexp"

	"github.com/onsi/ginkgo/v2/reporters"
)

// ruleID finds the rule a spec's name starts with, e.g. "ATLAS-AUTH-1".
var ruleID = regexp.MustCompile(`\b[A-Z0-9]+-[A-Z]+-\d+\b`)

// junitCase is one spec of a JUnit report.
type junitCase struct {
	name, status, message string
	failed                bool
}

// readJUnit reads a ginkgo JUnit report into its specs, keyed by rule ID; a node without
// one (a failed suite-level node, say) is keyed by its name so that it still counts.
func readJUnit(path string) (map[string]junitCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	cases := map[string]junitCase{}
	for _, s := range suites.TestSuites {
		for _, tc := range s.TestCases {
			c := junitCase{name: tc.Name, status: tc.Status}
			switch {
			case tc.Failure != nil:
				c.failed, c.message = true, tc.Failure.Message
			case tc.Error != nil:
				c.failed, c.message = true, tc.Error.Message
			}
			key := ruleID.FindString(tc.Name)
			if key == "" {
				if !c.failed {
					continue // passed suite-level nodes say nothing about rules
				}
				key = tc.Name
			}
			cases[key] = c
		}
	}
	return cases, nil
}
