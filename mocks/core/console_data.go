package core

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"
)

// consoleRoutes adds what the web console reads beyond the rest of the control API: the
// page itself, the list of sessions, one journaled exchange with its ZIP payloads decoded,
// single faults, and the last conformance report posted for a session.
func (s *Server) consoleRoutes(m *mux.Router) {
	m.HandleFunc("/ui", func(w http.ResponseWriter, r *http.Request) {
		// Relative, so /s/{session}/__upmock/ui stays in its session (the path here has lost
		// the prefix).
		w.Header().Set("Location", "ui/")
		w.WriteHeader(http.StatusMovedPermanently)
	}).Methods(http.MethodGet)
	m.PathPrefix("/ui/").HandlerFunc(serveConsole).Methods(http.MethodGet)
	m.HandleFunc("/sessions", s.handleSessions).Methods(http.MethodGet)
	m.HandleFunc("/requests/{seq:[0-9]+}/decoded", s.handleDecoded).Methods(http.MethodGet)
	m.HandleFunc("/faults/{id:[0-9]+}", s.handleDeleteFault).Methods(http.MethodDelete)
	m.HandleFunc("/conformance", s.handleConformanceReport).Methods(http.MethodGet, http.MethodPut)
}

// SessionSummary is one line of GET /__upmock/sessions.
type SessionSummary struct {
	Name         string    `json:"name"`
	LastActivity time.Time `json:"lastActivity"` // real time of the last request
	Requests     int       `json:"requests"`     // entries in the journal now
	LastSeq      int64     `json:"lastSeq"`      // the newest entry's number
	JournalBytes int       `json:"journalBytes"` // bodies held by the journal
}

func (s *Server) handleSessions(w http.ResponseWriter, r *http.Request) {
	list := s.sessions.summaries()
	sort.Slice(list, func(i, j int) bool { return list[i].LastActivity.After(list[j].LastActivity) })
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list, "max": s.sessions.max})
}

func (ss *sessions) summaries() []SessionSummary {
	ss.mu.Lock()
	all := make([]*Session, 0, len(ss.byName))
	last := make(map[*Session]time.Time, len(ss.byName))
	for _, s := range ss.byName {
		all = append(all, s)
		last[s] = s.lastUsed
	}
	ss.mu.Unlock()
	out := make([]SessionSummary, 0, len(all))
	for _, s := range all {
		n, bytes, seq := s.Journal.stats()
		out = append(out, SessionSummary{Name: s.Name, LastActivity: last[s], Requests: n, LastSeq: seq, JournalBytes: bytes})
	}
	return out
}

// stats reports the journal's size: entries held, body bytes held, the newest sequence number.
func (j *Journal) stats() (n, bytes int, seq int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n, j.bytes, j.seq
}

// entry returns the entry numbered seq, if the journal still holds it.
func (j *Journal) entry(seq int64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := range j.n {
		if e := j.at(i); e.Seq == seq {
			return *e, true
		}
	}
	return Entry{}, false
}

// since keeps the entries numbered above seq: the console polls with the newest it has.
func since(entries []Entry, seq int64) []Entry {
	i := sort.Search(len(entries), func(i int) bool { return entries[i].Seq > seq })
	return entries[i:]
}

// DecodedPart is one payload found inside a journaled body: a ZIP (sent raw or as Base64,
// as OCCTO does) listed entry by entry.
type DecodedPart struct {
	Where   string        `json:"where"` // "request" or "response"
	Entries []DecodedFile `json:"entries,omitempty"`
	Error   string        `json:"error,omitempty"`
}

// DecodedFile is one file of a decoded ZIP; Text holds it when it is UTF-8 and small.
type DecodedFile struct {
	Name string `json:"name"`
	Size uint64 `json:"size"`
	Text string `json:"text,omitempty"`
	Note string `json:"note,omitempty"`
}

// decodedTextLimit bounds the text shown per file; decodedFileLimit the files listed.
const (
	decodedTextLimit = 256 << 10
	decodedFileLimit = 64
)

// base64ZIP finds Base64 text that starts like a ZIP file ("PK\x03\x04" encodes as "UEsDB"),
// line breaks allowed, as it sits in an XML element or a JSON string.
var base64ZIP = regexp.MustCompile(`UEsDB[A-Za-z0-9+/=\r\n]{16,}`)

func (s *Server) handleDecoded(w http.ResponseWriter, r *http.Request) {
	seq, _ := strconv.ParseInt(mux.Vars(r)["seq"], 10, 64)
	entry, ok := sessionOf(r).Journal.entry(seq)
	if !ok {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no journal entry %d in this session (it may have been evicted)", seq))
		return
	}
	parts := append(decodePayloads("request", entry.Body), decodePayloads("response", entry.ResponseBody)...)
	writeJSON(w, http.StatusOK, map[string]any{"seq": seq, "parts": parts})
}

// decodePayloads lists every ZIP in body: the body itself when it is one, else each Base64
// run that decodes to one.
func decodePayloads(where, body string) []DecodedPart {
	if strings.HasPrefix(body, "PK\x03\x04") {
		return []DecodedPart{listZIP(where, []byte(body))}
	}
	var out []DecodedPart
	for _, run := range base64ZIP.FindAllString(body, 8) {
		raw, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(run))
		if err != nil {
			out = append(out, DecodedPart{Where: where, Error: "Base64 that starts like a ZIP but does not decode: " + err.Error()})
			continue
		}
		out = append(out, listZIP(where, raw))
	}
	return out
}

func listZIP(where string, raw []byte) DecodedPart {
	part := DecodedPart{Where: where}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		part.Error = "not a readable ZIP (the journal keeps the first 64 KiB of a body): " + err.Error()
		return part
	}
	for i, f := range zr.File {
		if i == decodedFileLimit {
			part.Entries = append(part.Entries, DecodedFile{Name: "…", Note: fmt.Sprintf("%d more files not listed", len(zr.File)-i)})
			break
		}
		part.Entries = append(part.Entries, decodeFile(f))
	}
	return part
}

func decodeFile(f *zip.File) DecodedFile {
	out := DecodedFile{Name: f.Name, Size: f.UncompressedSize64}
	rc, err := f.Open()
	if err != nil {
		out.Note = err.Error()
		return out
	}
	defer rc.Close()
	// Read one byte past the limit to tell a cut file from one that fits: a ZIP bomb costs
	// no more than the limit.
	data, err := io.ReadAll(io.LimitReader(rc, decodedTextLimit+1))
	switch {
	case err != nil:
		out.Note = err.Error()
	case !utf8.Valid(data) && len(data) <= decodedTextLimit:
		out.Note = "binary"
	case len(data) > decodedTextLimit:
		out.Text = strings.ToValidUTF8(string(data[:decodedTextLimit]), "")
		out.Note = fmt.Sprintf("first %d KiB shown", decodedTextLimit>>10)
	default:
		out.Text = string(data)
	}
	return out
}

func (s *Server) handleDeleteFault(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(mux.Vars(r)["id"])
	if !sessionOf(r).Faults.Remove(id) {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no armed fault %d in this session", id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Remove disarms the fault with id; false when none is armed.
func (fs *Faults) Remove(id int) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.ID == id {
			fs.list = append(fs.list[:i], fs.list[i+1:]...)
			return true
		}
	}
	return false
}

// ConformanceReport is the last conformance run posted for a session (by `upmock
// conformance` or any tool), shown by the console.
type ConformanceReport struct {
	Received time.Time         `json:"received"`
	Summary  map[string]int    `json:"summary,omitempty"` // e.g. {"passed": 12, "failed": 1}
	Rules    []ConformanceRule `json:"rules,omitempty"`
	HTML     string            `json:"html,omitempty"` // a self-contained report page
}

// ConformanceRule is one rule's verdict in a posted report.
type ConformanceRule struct {
	ID      string  `json:"id"`
	API     string  `json:"api,omitempty"`
	Verdict string  `json:"verdict"`
	Seconds float64 `json:"seconds,omitempty"`
	Message string  `json:"message,omitempty"`
}

// conformanceReports keeps one report per session name, bounded like the sessions.
type conformanceReports struct {
	mu     sync.Mutex
	byName map[string]ConformanceReport
	order  []string
}

// maxConformanceReports bounds the kept reports; the oldest posted goes first.
const maxConformanceReports = 64

func (c *conformanceReports) put(name string, rep ConformanceReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byName == nil {
		c.byName = map[string]ConformanceReport{}
	}
	if _, ok := c.byName[name]; !ok {
		c.order = append(c.order, name)
	}
	c.byName[name] = rep
	for len(c.order) > maxConformanceReports {
		delete(c.byName, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *conformanceReports) get(name string) (ConformanceReport, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rep, ok := c.byName[name]
	return rep, ok
}

func (s *Server) handleConformanceReport(w http.ResponseWriter, r *http.Request) {
	name := sessionOf(r).Name
	if r.Method == http.MethodPut {
		var rep ConformanceReport
		if err := decodeControlLimit(r, &rep, 8<<20); err != nil {
			writeControlError(w, http.StatusBadRequest, err)
			return
		}
		rep.Received = time.Now().UTC()
		s.reports.put(name, rep)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rep, ok := s.reports.get(name)
	if !ok {
		writeControlError(w, http.StatusNotFound, fmt.Errorf("no conformance report was posted for session %q; `upmock conformance --upmock-url` posts one", name))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
