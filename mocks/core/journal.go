package core

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Journal bounds: the ring keeps the newest entries, and bodies are cut so one large upload
// cannot hold megabytes per entry.
const (
	DefaultJournalSize = 1000
	MaxJournalBody     = 64 << 10
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

// Journal is a bounded ring of entries, newest last.
type Journal struct {
	mu      sync.Mutex
	entries []Entry
	next    int // index the next entry overwrites once the ring is full
	seq     int64
	size    int
}

// NewJournal returns a journal keeping at most size entries.
func NewJournal(size int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &Journal{size: size}
}

// Add stores e, numbering it.
func (j *Journal) Add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	if len(j.entries) < j.size {
		j.entries = append(j.entries, e)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % j.size
}

// List returns the entries of api ("" for all), oldest first, at most limit (0: all) newest.
func (j *Journal) List(api string, limit int) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, len(j.entries))
	for i := range j.entries {
		e := j.entries[(j.next+i)%len(j.entries)]
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
	kept := []Entry{}
	for _, e := range j.List("", 0) {
		if api != "" && e.API != api {
			kept = append(kept, e)
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next = kept, 0
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
			red[i] = redactCredential(v)
		}
		out[k] = red
	}
	return out
}

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
