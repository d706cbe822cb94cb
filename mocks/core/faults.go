package core

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Fault phases: before the mock processes the request, or after it committed it.
const (
	PhaseBefore = "before"
	PhaseAfter  = "after"
)

// Fault makes the next Count matching requests fail the way the upstream fails.
type Fault struct {
	ID        int    `json:"id"`
	API       string `json:"api"`
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	Operation string `json:"operation,omitempty"`
	Count     int    `json:"count"`
	Remaining int    `json:"remaining"`
	Status    int    `json:"status,omitempty"`
	// Body replaces the upstream's own body for Status when set.
	Body        *string `json:"body,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
	DelayMs     int     `json:"delayMs,omitempty"`
	Drop        bool    `json:"drop,omitempty"`
	Phase       string  `json:"phase,omitempty"`

	pathGlob []string // Path split at its stars: literal runs the path must hold in order
}

// MaxFaultPath bounds a fault's path pattern.
const MaxFaultPath = 1024

// Describe says in a few words what the fault does, for the journal.
func (f *Fault) Describe() string {
	var parts []string
	if f.DelayMs > 0 {
		parts = append(parts, fmt.Sprintf("delay %dms", f.DelayMs))
	}
	if f.Status != 0 {
		parts = append(parts, fmt.Sprintf("status %d", f.Status))
	}
	if f.Drop {
		parts = append(parts, "drop")
	}
	return fmt.Sprintf("#%d %s (%s)", f.ID, strings.Join(parts, ", "), f.Phase)
}

func (f *Fault) validate(apis map[string]bool) error {
	switch {
	case f.API == "":
		return errors.New("fault: api is required")
	case !apis[f.API]:
		return fmt.Errorf("fault: unknown api %q", f.API)
	case f.Status == 0 && !f.Drop && f.DelayMs <= 0:
		return errors.New("fault: give status, drop or delayMs")
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("fault: status %d is not an HTTP status", f.Status)
	case f.Status != 0 && f.Drop:
		return errors.New("fault: status and drop exclude each other")
	case f.DelayMs < 0 || f.DelayMs > 600_000:
		return errors.New("fault: delayMs must be 0..600000")
	case f.Count < 0:
		return errors.New("fault: count must be positive")
	case len(f.Path) > MaxFaultPath:
		return fmt.Errorf("fault: path pattern is %d characters; at most %d", len(f.Path), MaxFaultPath)
	}
	if f.Phase == "" {
		f.Phase = PhaseBefore
	}
	if f.Phase != PhaseBefore && f.Phase != PhaseAfter {
		return fmt.Errorf("fault: phase %q is not before or after", f.Phase)
	}
	if f.Phase == PhaseAfter && f.Status == 0 && !f.Drop {
		return errors.New("fault: an after-phase fault needs status or drop")
	}
	if f.Count == 0 {
		f.Count = 1
	}
	f.Method = strings.ToUpper(f.Method)
	f.compilePath()
	return nil
}

// compilePath prepares Path for matching.
func (f *Fault) compilePath() {
	f.pathGlob = nil
	if f.Path != "" {
		f.pathGlob = strings.Split(f.Path, "*")
	}
}

// globMatch reports whether path matches a pattern split at its stars (a star matches any run
// of characters). The first run is a prefix, the last a suffix, and each run between takes
// its leftmost place after the one before: a leftmost choice never loses a match, so one pass
// suffices, linear in the path for each run — no backtracking however many stars there are.
func globMatch(runs []string, path string) bool {
	if len(runs) == 1 {
		return path == runs[0]
	}
	first, last := runs[0], runs[len(runs)-1]
	if len(path) < len(first)+len(last) || !strings.HasPrefix(path, first) || !strings.HasSuffix(path, last) {
		return false
	}
	rest := path[len(first) : len(path)-len(last)]
	for _, run := range runs[1 : len(runs)-1] {
		i := strings.Index(rest, run)
		if i < 0 {
			return false
		}
		rest = rest[i+len(run):]
	}
	return true
}

func (f *Fault) matches(api, method, path, operation string) bool {
	return f.API == api &&
		(f.Method == "" || f.Method == method) &&
		(f.pathGlob == nil || globMatch(f.pathGlob, path)) &&
		(f.Operation == "" || f.Operation == operation)
}

// Faults holds one session's armed faults.
type Faults struct {
	mu     sync.Mutex
	nextID int
	list   []*Fault
}

// Add arms f after checking it names a served api.
func (fs *Faults) Add(f Fault, apis map[string]bool) (Fault, error) {
	if err := f.validate(apis); err != nil {
		return Fault{}, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	f.ID, f.Remaining = fs.nextID, f.Count
	fs.list = append(fs.list, &f)
	return f, nil
}

// Take consumes one use of the first fault matching the request, if any. path is below the
// API's base path.
func (fs *Faults) Take(api, method, path, operation string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if !f.matches(api, method, path, operation) {
			continue
		}
		f.Remaining--
		if f.Remaining <= 0 {
			fs.list = append(fs.list[:i], fs.list[i+1:]...)
		}
		taken := *f
		return &taken
	}
	return nil
}

// List returns the armed faults.
func (fs *Faults) List() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, 0, len(fs.list))
	for _, f := range fs.list {
		out = append(out, *f)
	}
	return out
}

// Clear disarms the faults of api ("" for all).
func (fs *Faults) Clear(api string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	kept := fs.list[:0]
	for _, f := range fs.list {
		if api != "" && f.API != api {
			kept = append(kept, f)
		}
	}
	fs.list = kept
}
