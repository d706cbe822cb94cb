package core

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonScanner walks a JSON text in place, without building Go values, for the compiled body
// validator (spec_compiled.go). It accepts only what encoding/json decodes without error and
// whose decoded strings and numbers it knows exactly; anything else (a syntax error, invalid
// UTF-8 or a surrogate escape that encoding/json would replace, a number float64 cannot hold,
// deep nesting) makes it answer "not sure", and the caller takes the full path.
type jsonScanner struct {
	data    []byte
	pos     int
	depth   int
	scratch []byte // the last escaped string, decoded; reused between strings
}

// maxScanDepth bounds nesting; deeper documents take the full path (encoding/json's own
// limit is 10000, so everything the scanner accepts it decodes too).
const maxScanDepth = 256

// next skips white space and returns the next byte, or 0 at the end of the text.
func (s *jsonScanner) next() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// literal consumes word (true, false or null) at s.pos. What follows it is judged by the
// caller, which expects a separator, so "nullx" fails there.
func (s *jsonScanner) literal(word string) bool {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return false
	}
	s.pos += len(word)
	return true
}

// str consumes the string at s.pos (its opening quote) and returns it decoded: a slice of the
// text when it has no escapes, else of scratch, valid until the next call.
func (s *jsonScanner) str() ([]byte, bool) {
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			raw := s.data[start:i]
			// encoding/json replaces invalid UTF-8 with U+FFFD: a different string.
			return raw, ascii || utf8.Valid(raw)
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// escaped decodes a string with escapes from start (just after its opening quote) as
// encoding/json does, except surrogate escapes, which it leaves to encoding/json.
func (s *jsonScanner) escaped(start int) ([]byte, bool) {
	out := s.scratch[:0]
	for i := start; i < len(s.data); {
		c := s.data[i]
		switch {
		case c == '"':
			s.pos, s.scratch = i+1, out
			return out, utf8.Valid(out)
		case c < 0x20:
			return nil, false
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(s.data) {
			return nil, false
		}
		switch e := s.data[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(s.data[i+2:])
			if !ok || utf16.IsSurrogate(r) {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			i += 6
			continue
		default:
			return nil, false
		}
		i += 2
	}
	return nil, false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number consumes the number at s.pos and returns the float64 encoding/json decodes it to
// (strconv.ParseFloat of the literal); false for bad syntax or a value out of float64's range,
// which encoding/json rejects when decoding into any.
func (s *jsonScanner) number() (float64, bool) {
	d := s.data
	start, i := s.pos, s.pos
	neg := i < len(d) && d[i] == '-'
	if neg {
		i++
	}
	intStart := i
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	default:
		return 0, false
	}
	intEnd := i
	if i < len(d) && d[i] == '.' {
		i++
		if i = digits(d, i); i < 0 {
			return 0, false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i = digits(d, i); i < 0 {
			return 0, false
		}
	}
	s.pos = i
	// Up to 15 digits an integer is exact in float64: the same value ParseFloat gives, no
	// string conversion needed.
	if i == intEnd && intEnd-intStart <= 15 {
		var v int64
		for _, c := range d[intStart:intEnd] {
			v = v*10 + int64(c-'0')
		}
		f := float64(v)
		if neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(string(d[start:i]), 64)
	return f, err == nil
}

// digits consumes one or more decimal digits from i and returns the index after them, or -1.
func digits(d []byte, i int) int {
	start := i
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// skipValue consumes any JSON value, checking its syntax as encoding/json would.
func (s *jsonScanner) skipValue() bool {
	switch s.next() {
	case '"':
		_, ok := s.str()
		return ok
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	case '[':
		return s.array(func() bool { return s.skipValue() })
	case '{':
		return s.object(func(key []byte) bool { return s.skipValue() })
	default:
		_, ok := s.number()
		return ok
	}
}

// array consumes an array at s.pos, calling item for each element (positioned before it).
func (s *jsonScanner) array(item func() bool) bool {
	if s.depth++; s.depth > maxScanDepth {
		return false
	}
	s.pos++
	if s.next() == ']' {
		s.pos++
		s.depth--
		return true
	}
	for {
		if !item() {
			return false
		}
		switch s.next() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			s.depth--
			return true
		default:
			return false
		}
	}
}

// object consumes an object at s.pos, calling member with each decoded key (valid only until
// the member's value is scanned) once the scanner stands before the member's value.
func (s *jsonScanner) object(member func(key []byte) bool) bool {
	if s.depth++; s.depth > maxScanDepth {
		return false
	}
	s.pos++
	if s.next() == '}' {
		s.pos++
		s.depth--
		return true
	}
	for {
		if s.next() != '"' {
			return false
		}
		key, ok := s.str()
		if !ok || s.next() != ':' {
			return false
		}
		s.pos++
		if !member(key) {
			return false
		}
		switch s.next() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			s.depth--
			return true
		default:
			return false
		}
	}
}
