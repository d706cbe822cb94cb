package mocks

import (
	"fmt"
	"testing"

	yaml3 "go.yaml.in/yaml/v3"
	yaml11 "gopkg.in/yaml.v2"
)

// TestServedDocumentsReadTheSameInYAML11: every document GET /__upmock/specs/{api} serves is
// read by third-party tools too, many of them YAML 1.1 parsers, which take unquoted no, yes,
// on, off, y, n… as booleans. A key or value that YAML 1.2 reads as a string must not turn into
// a boolean under YAML 1.1 (e.g. `required: [no, id]` would require the property `false`).
func TestServedDocumentsReadTheSameInYAML11(t *testing.T) {
	for _, api := range All() {
		t.Run(api.Name(), func(t *testing.T) {
			raw := api.Spec().Raw
			var v11 any
			if err := yaml11.Unmarshal(raw, &v11); err != nil {
				t.Fatalf("YAML 1.1 reading: %v", err)
			}
			var v12 any
			if err := yaml3.Unmarshal(raw, &v12); err != nil {
				t.Fatalf("YAML 1.2 reading: %v", err)
			}
			for _, p := range yaml11Booleans("", v11, v12) {
				t.Errorf("%s: read as a boolean by YAML 1.1 parsers; quote it", p)
			}
		})
	}
}

// yaml11Booleans walks the YAML 1.1 and 1.2 readings of one document side by side and lists
// where the first has a boolean (as a key or a value) that the second reads as a string.
func yaml11Booleans(at string, v11, v12 any) []string {
	var out []string
	switch a := v11.(type) {
	case map[any]any:
		b, _ := v12.(map[string]any)
		for k, v := range a {
			if kb, ok := k.(bool); ok {
				out = append(out, fmt.Sprintf("%s: key %v", at, kb))
				continue
			}
			name := fmt.Sprint(k)
			out = append(out, yaml11Booleans(at+"/"+name, v, b[name])...)
		}
	case []any:
		b, _ := v12.([]any)
		for i, v := range a {
			var w any
			if i < len(b) {
				w = b[i]
			}
			out = append(out, yaml11Booleans(fmt.Sprintf("%s/%d", at, i), v, w)...)
		}
	case bool:
		if s, ok := v12.(string); ok {
			out = append(out, fmt.Sprintf("%s: value %q", at, s))
		}
	}
	return out
}
