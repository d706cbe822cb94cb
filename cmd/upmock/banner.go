package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// loginField names the fields of a seeded credential that a first call needs; PEM blocks
// (keys, certificates) are left to /__upmock/credentials.
var loginField = regexp.MustCompile(`(?i)(key|secret|user|userid|mail|password|clientid|kid|file)$`)

// credentialLine summarises an API's credentials for the banner: the login fields of the
// first entry of its first list of logins, and how many more there are.
func credentialLine(creds any) string {
	raw, err := json.Marshal(creds)
	if err != nil {
		return ""
	}
	var top map[string]any
	if json.Unmarshal(raw, &top) != nil {
		return ""
	}
	names := make([]string, 0, len(top))
	for k := range top {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		list, ok := top[name].([]any)
		if !ok || len(list) == 0 {
			continue
		}
		first, ok := list[0].(map[string]any)
		if !ok {
			continue
		}
		var fields []string
		for k, v := range first {
			if s, ok := v.(string); ok && loginField.MatchString(k) && !strings.Contains(strings.ToLower(k), "pem") {
				fields = append(fields, k+"="+s)
			}
		}
		if len(fields) == 0 {
			continue
		}
		sort.Strings(fields)
		line := strings.Join(fields, " ")
		if len(list) > 1 {
			line += fmt.Sprintf("  (+%d more %s)", len(list)-1, name)
		}
		return line
	}
	return ""
}
