package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
)

// DecodeFixture decodes the JSON file name of fsys into v strictly: an unknown key in a
// fixture is a typo to report at start-up, not a setting silently ignored.
func DecodeFixture(fsys fs.FS, name string, v any) error {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("fixtures: %w", err)
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		return fmt.Errorf("fixtures: %s holds null; give the JSON object or array it stands for", name)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("fixtures: %s: %w", name, err)
	}
	return nil
}
