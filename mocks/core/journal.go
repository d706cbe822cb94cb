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

	stamp uint64 // server-wide order, for the memory budget
	cost  int64  // bytes charged to the memory budget
}

// Journal is a bounded ring of entries, oldest first. It grows up to its bound (so an idle
// session holds little), then overwrites in place: Add is O(1) and allocates nothing.
type Journal struct {
	mu       sync.Mutex
	buf      []Entry
	start, n int // the live entries are buf[start], buf[start+1], … (mod len(buf)), n of them
	bytes    int
	seq      int64
	size     int
	maxBytes int
	budget   *memoryBudget // the server's, or nil for a journal of its own
}

// NewJournal returns a journal keeping at most size entries.
func NewJournal(size int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &Journal{size: size, maxBytes: DefaultJournalBytes}
}

func entryBytes(e *Entry) int { return len(e.Body) + len(e.ResponseBody) }

// entryCost estimates the memory an entry holds: its strings, headers and annotations and a
// fixed overhead for the structures around them.
func entryCost(e *Entry) int64 {
	n := entryOverhead + len(e.Body) + len(e.ResponseBody) + len(e.Path) + len(e.Query) + len(e.Fault)
	for k, vs := range e.Headers {
		n += len(k)
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	for _, v := range e.SpecViolations {
		n += len(v) + 16
	}
	for k, v := range e.Annotations {
		n += len(k) + len(v) + 32
	}
	return int64(n)
}

func (j *Journal) at(i int) *Entry { return &j.buf[(j.start+i)%len(j.buf)] }

// Add stores e, numbering it, and drops the oldest entries beyond the bounds.
func (j *Journal) Add(e Entry) {
	j.mu.Lock()
	budget := j.budget
	if budget != nil {
		e.stamp, e.cost = budget.stamp.Add(1), entryCost(&e)
		budget.used.Add(e.cost)
	}
	j.addLocked(e)
	j.mu.Unlock()
	if budget != nil {
		budget.charged()
	}
}

func (j *Journal) addLocked(e Entry) {
	j.seq++
	e.Seq = j.seq
	if j.n == len(j.buf) {
		if len(j.buf) < j.size {
			grown := make([]Entry, min(max(2*len(j.buf), 16), j.size))
			for i := range j.n {
				grown[i] = *j.at(i)
			}
			j.buf, j.start = grown, 0
		} else {
			j.dropOldest()
		}
	}
	*j.at(j.n) = e
	j.n++
	j.bytes += entryBytes(&e)
	for j.bytes > j.maxBytes && j.n > 1 {
		j.dropOldest()
	}
}

func (j *Journal) dropOldest() {
	old := j.at(0)
	j.bytes -= entryBytes(old)
	if j.budget != nil {
		j.budget.used.Add(-old.cost)
	}
	*old = Entry{} // let the bodies be collected
	j.start = (j.start + 1) % len(j.buf)
	j.n--
}

// oldestStamp is the server-wide stamp of the journal's oldest entry.
func (j *Journal) oldestStamp() (uint64, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.n == 0 {
		return 0, false
	}
	return j.at(0).stamp, true
}

// dropIfOldest drops the oldest entry if it is still the one stamped so.
func (j *Journal) dropIfOldest(stamp uint64) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.n == 0 || j.at(0).stamp != stamp {
		return j.n > 0 // another request changed it: try again
	}
	j.dropOldest()
	return true
}

// List returns the entries of api ("" for all), oldest first, at most limit (0: all) newest.
func (j *Journal) List(api string, limit int) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Entry, 0, j.n)
	for i := range j.n {
		if e := j.at(i); api == "" || e.API == api {
			out = append(out, *e)
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
	for i := range j.n {
		if e := j.at(i); api != "" && e.API != api {
			kept = append(kept, *e)
			j.bytes += entryBytes(e)
		} else if j.budget != nil {
			j.budget.used.Add(-e.cost)
		}
	}
	j.buf, j.start, j.n = kept, 0, len(kept)
}

// secretHeaders never reach the journal in clear.
var secretHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "X-Api-Secret": true,
	"Ocp-Apim-Subscription-Key": true, // CyberPort's subscription-key scheme: the key alone authenticates
}

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
