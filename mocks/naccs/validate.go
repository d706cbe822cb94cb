package naccs

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/upmock/upmock/mocks/core"
)

// CyberPort saves a form when it has the shape of the business (ASP.NET model validation:
// the system keys present, every other key a form field of the business, strings within
// their maximum length); whether the content is acceptable to NACCS is NACCS's to say when
// the form is sent. Refusals answer 400 with ModelState keyed "request.<field>".

// modelState maps the core's OpenAPI findings on the body and query to ASP.NET's ModelState.
func modelState(r *http.Request) map[string][]string {
	ms := map[string][]string{}
	for _, v := range core.Violations(r) {
		var key, name string
		switch v.In {
		case "body":
			key, name = "request", ""
			if p := pointerName(v.Pointer); p != "" {
				key, name = "request."+p, lastName(v.Pointer)
			}
		case "query", "path":
			if len(v.Pointer) == 0 {
				continue
			}
			key, name = v.Pointer[0], v.Pointer[0]
		default:
			continue
		}
		ms[key] = appendOnce(ms[key], violationMessage(v, name))
	}
	return ms
}

func violationMessage(v core.Violation, name string) string {
	keyword := v.Keyword
	if keyword == "" && strings.Contains(v.Message, "required but missing") {
		keyword = "required" // a missing parameter carries no schema keyword
	}
	switch keyword {
	case "required":
		return fmt.Sprintf(dataRequired, name)
	case "pattern":
		return fmt.Sprintf(dataRegex, name, v.Schema.Pattern)
	case "maxLength":
		return fmt.Sprintf(dataMaxLength, name, *v.Schema.MaxLength)
	case "minLength":
		return fmt.Sprintf(dataRequired, name)
	case "parse":
		return v.Message
	}
	if name == "" {
		return v.Message
	}
	return fmt.Sprintf(dataNotValid, name)
}

// pointerName writes a JSON pointer as ASP.NET does: items[0].name.
func pointerName(pointer []string) string {
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

func lastName(pointer []string) string {
	if len(pointer) == 0 {
		return ""
	}
	return pointer[len(pointer)-1]
}

func appendOnce(list []string, msg string) []string {
	for _, m := range list {
		if m == msg {
			return list
		}
	}
	return append(list, msg)
}

// formFields checks an Update body's form fields against business b: each key that is not
// a system key must be a field of b, a string or null, within the field's maximum length.
// Fields the body leaves out are null (Update replaces the form).
func formFields(b *Business, body map[string]any) (map[string]*string, map[string][]string) {
	fields, ms := map[string]*string{}, map[string][]string{}
	for _, f := range b.Fields() {
		fields[f.Name] = nil
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if systemKeys[k] {
			continue
		}
		f := b.byName[k]
		if f == nil {
			ms["request."+k] = append(ms["request."+k], fmt.Sprintf(dataUnknown, k, b.Code))
			continue
		}
		switch v := body[k].(type) {
		case nil:
		case string:
			if n := len([]rune(v)); n > f.maxChars() {
				ms["request."+k] = append(ms["request."+k], fmt.Sprintf(dataMaxLength, k, f.maxChars()))
				continue
			}
			s := v
			fields[k] = &s
		default:
			ms["request."+k] = append(ms["request."+k], fmt.Sprintf(dataNotValid, k))
		}
	}
	return fields, ms
}

// checkWebhookURL accepts an absolute http(s) URL, on a loopback host unless allowed.
func checkWebhookURL(raw string, allowAny bool) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return dataURL
	}
	if !allowAny && !isLoopback(u.Hostname()) {
		return dataLoopback
	}
	return ""
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
