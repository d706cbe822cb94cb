package conformance

import (
	"reflect"
	"testing"
)

func TestSplitCommand(t *testing.T) {
	for in, want := range map[string][]string{
		`python3 conformance/drivers/atlas-python/driver.py`: {"python3", "conformance/drivers/atlas-python/driver.py"},
		`  ./d  -x  `:                     {"./d", "-x"},
		`'/a b/driver' --name "x y" z\ w`: {"/a b/driver", "--name", "x y", "z w"},
		`'it'\''s' ""`:                    {"it's", ""},
	} {
		got, err := splitCommand(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `trailing\`} {
		if _, err := splitCommand(bad); err == nil {
			t.Errorf("splitCommand(%q) accepted an unterminated command line", bad)
		}
	}
}
