package atlas

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/upmock/upmock/mocks/core"
)

// invalidParams turns the core's OpenAPI violations of the request into the document's
// InvalidParam list: the name of the item and one of its reason templates. The pattern's
// reason comes from the schema's x-atlas-reason extension, so the document stays the one
// place the rules live.
func invalidParams(violations []core.Violation) []InvalidParam {
	var out []InvalidParam
	seen := map[string]bool{}
	for _, v := range violations {
		if v.Keyword == "" || v.Keyword == "parse" {
			continue // content-type and decoding problems are answered elsewhere (206)
		}
		name := paramName(v.Pointer)
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, InvalidParam{Name: name, Reason: reasonFor(v)})
	}
	return out
}

var alphanumericOrHyphen = regexp.MustCompile(`^[0-9A-Za-z\-]+$`)

func reasonFor(v core.Violation) string {
	s := v.Schema
	switch v.Keyword {
	case "required", "nullable", "minItems":
		return reasonRequired
	case "minLength", "maxLength":
		max := uint64(0)
		if s.MaxLength != nil {
			max = *s.MaxLength
		}
		return fmt.Sprintf(reasonDigits, s.MinLength, max)
	case "pattern":
		switch s.Extensions["x-atlas-reason"] {
		case "non-alphanumeric":
			return reasonNonAlphanumeric
		case "non-numerical":
			return reasonNonNumerical
		case "non-alphabetic":
			return reasonNonAlphabetic
		case "upper-hex":
			// uid: only 0-9, A-F and "-". Letters outside A-F are alphanumeric, so the
			// character templates do not fit them; the format one does.
			if v, ok := v.Value.(string); ok && alphanumericOrHyphen.MatchString(v) {
				return reasonInvalidFormat
			}
			return reasonNonAlphanumeric
		}
		return reasonInvalidFormat
	case "type":
		if s != nil && s.Type != nil && (s.Type.Is("integer") || s.Type.Is("number")) {
			return reasonNonNumerical
		}
	}
	return reasonInvalidFormat
}

// paramName writes a JSON pointer the way a client reads it: items[0].trackingId.
func paramName(pointer []string) string {
	var b strings.Builder
	for _, p := range pointer {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// checkItemRules are the document's rules a schema cannot say: a path is /-delimited levels
// ending with the item's trackingId; "#" (complete it for me) only as the trackingId and the
// path's last level; movedDateTime's fields within the ranges the document tables.
func checkItemRules(req RegistrationRequest) []InvalidParam {
	var out []InvalidParam
	bad := func(name string) { out = append(out, InvalidParam{Name: name, Reason: reasonInvalidFormat}) }
	if req.TargetPath != nil && !isLevelPath(*req.TargetPath) {
		bad("targetPath")
	}
	for i, it := range req.Items {
		at := func(field string) string { return fmt.Sprintf("items[%d].%s", i, field) }
		if !isLevelPath(it.Path) || strings.Contains(strings.TrimSuffix(it.Path, "#/"), "#") || lastSegment(it.Path) != it.TrackingID {
			bad(at("path"))
		}
		if !validMovedDateTime(it.MovedDateTime) {
			bad(at("movedDateTime"))
		}
		if a := it.AutoInactive; a != nil && a.TargetParentPath != nil && !isLevelPath(*a.TargetParentPath) {
			bad(at("autoInactive.targetParentPath"))
		}
	}
	return out
}

func isLevelPath(p string) bool {
	return strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") && !strings.Contains(p, "//")
}

// validMovedDateTime checks YYYY-MM-DDThh:mm:ss.ffffffZ with the document's ranges: hh up to
// 24 and ss up to 60 (leap second).
func validMovedDateTime(s string) bool {
	if len(s) != 27 {
		return false
	}
	num := func(from, to int) int {
		n, err := strconv.Atoi(s[from:to])
		if err != nil {
			return -1
		}
		return n
	}
	month, day, hour, minute, second := num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)
	return num(0, 4) >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		hour >= 0 && hour <= 24 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60 && num(20, 26) >= 0
}

// pathConsistency is errorCode 204's check for bulk registration: each item's path and the
// targetPath must lie on one branch.
func pathConsistency(req RegistrationRequest) []InvalidParam {
	if req.TargetPath == nil {
		return nil
	}
	target := *req.TargetPath
	var out []InvalidParam
	for _, it := range req.Items {
		if !strings.HasPrefix(it.Path, target) && !strings.HasPrefix(target, it.Path) {
			out = append(out, InvalidParam{Name: "path", Reason: fmt.Sprintf(reasonPathTarget, it.TrackingID, target, it.Path)})
		}
	}
	return out
}

// queryProblems maps violations of query parameters (cursor, lastDownloadDateTime) to 100.
func queryProblems(r *http.Request) []InvalidParam {
	var qs []core.Violation
	for _, v := range core.Violations(r) {
		if v.In == "query" || v.In == "path" {
			qs = append(qs, v)
		}
	}
	out := invalidParams(qs)
	for _, v := range qs {
		if v.Keyword == "" || v.Keyword == "parse" {
			out = append(out, InvalidParam{Name: paramName(v.Pointer[:1]), Reason: reasonInvalidFormat})
		}
	}
	return out
}
