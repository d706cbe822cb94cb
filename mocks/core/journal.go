package core

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Journal bounds: at most DefaultJournalSize entries and DefaultJournalBytes of bodies per
// session, newest kept, and each body cut at MaxJournalBody, so a busy session holds a few
// megabytes however large or many its requests are.
const (
	DefaultJournalSize  = 1000
	DefaultJournalBytes = 8 << 20
	MaxJournalBody      = 64 << 10
)

// Entry is one request as the journal shows it.
type Entry struct {
	Seq            int64               `json:"seq"`
	Time           time.Time           `json:"time"`
	API            string              `json:"api"`
	Operation      string              `json:"operation"`
	Method         string              `json:"method"`
	Path           string              `json:"path"`
	Query          string              `json:"query"`
	Headers        map[string][]string `json:"headers"`
	Body           string              `json:"body"`
	BodyTruncated  bool                `json:"bodyTruncated,omitempty"`
	Status         int                 `json:"status"`
	ResponseBody   string              `json:"responseBody"`
	Fault          string              `json:"fault,omitempty"`
	SpecViolations []string            `json:"specViolations,omitempty"`
	Annotations    map[string]string   `json:"annotations,omitempty"`
	DurationMs     float64             `json:"durationMs"`
}

// Journal is a bounded queue of entries, oldest first.
type Journal struct {
	mu       sync.Mutex
	entries  []Entry // entries[head:] are live
	head     int
	bytes    int
	seq      int64
	size     int
	maxBytes int
}

// NewJournal returns a journal keeping at most size entries.
func NewJournal(size int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &Journal{size: size, maxBytes: DefaultJournalBytes}
}

func entryBytes(e *Entry) int { return len(e.Body) + len(e.ResponseBody) }

// Add stores e, numbering it, and drops the oldest entries beyond the bounds. Dropping
// advances a head index; the slice is compacted once half of it is dead, so Add is O(1)
// amortised and dropped bodies become collectable.
func (j *Journal) Add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.entries = append(j.entries, e)
	j.bytes += entryBytes(&e)
	for live := len(j.entries) - j.head; live > j.size || (j.bytes > j.maxBytes && live > 1); live-- {
		j.bytes -= entryBytes(&j.entries[j.head])
		j.entries[j.head] = Entry{}
		j.head++
	}
	if j.head > len(j.entries)/2 {
		n := copy(j.entries, j.entries[j.head:])
		clear(j.entries[n:])
		j.entries, j.head = j.entries[:n], 0
	}
}

// List returns the entries of api ("" for all), oldest first, at most limit (0: all) newest.
func (j *Journal) List(api string, limit int) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, len(j.entries)-j.head)
	for _, e := range j.entries[j.head:] {
		if api == "" || e.API == api {
			out = append(out, e)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// Clear empties the journal of api ("" for all).
func (j *Journal) Clear(api string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var kept []Entry
	j.bytes = 0
	for _, e := range j.entries[j.head:] {
		if api != "" && e.API != api {
			kept = append(kept, e)
			j.bytes += entryBytes(&e)
		}
	}
	j.entries, j.head = kept, 0
}

// secretHeaders never reach the journal in clear.
var secretHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "X-Api-Secret": true}

// RedactHeaders copies h with secrets hidden. A JWT keeps its header and payload, which are
// not secret and which a conformance spec needs to read, and loses its signature.
func RedactHeaders(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if !secretHeaders[k] {
			out[k] = vs
			continue
		}
		red := make([]string, len(vs))
		for i, v := range vs {
			red[i] = "REDACTED"
			if k == "Authorization" || k == "Proxy-Authorization" {
				red[i] = redactCredential(v)
			}
		}
		out[k] = red
	}
	return out
}

// redactCredential keeps an Authorization value's scheme and a JWT's readable parts.
func redactCredential(v string) string {
	scheme, token := "", v
	if i := strings.IndexByte(v, ' '); i > 0 {
		scheme, token = v[:i+1], v[i+1:]
	}
	if parts := strings.Split(token, "."); len(parts) == 3 {
		return scheme + parts[0] + "." + parts[1] + ".REDACTED"
	}
	return scheme + "REDACTED"
}

// Truncate cuts b to the journal's body bound.
func Truncate(b []byte) (string, bool) {
	if len(b) > MaxJournalBody {
		return string(b[:MaxJournalBody]), true
	}
	return string(b), false
}
