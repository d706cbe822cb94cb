package core_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

var servedAPIs = map[string]bool{"fake": true, "other": true}

func TestFaultValidation(t *testing.T) {
	tests := []struct {
		name    string
		fault   core.Fault
		wantErr string // "" when the fault is valid
	}{
		{"no api", core.Fault{Status: 500}, "api is required"},
		{"unknown api", core.Fault{API: "nope", Status: 500}, `unknown api "nope"`},
		{"nothing to do", core.Fault{API: "fake"}, "give status, drop or delayMs"},
		{"status too low", core.Fault{API: "fake", Status: 99}, "not an HTTP status"},
		{"status too high", core.Fault{API: "fake", Status: 600}, "not an HTTP status"},
		{"status and drop", core.Fault{API: "fake", Status: 500, Drop: true}, "exclude each other"},
		{"negative delay", core.Fault{API: "fake", Status: 500, DelayMs: -1}, "delayMs"},
		{"delay too long", core.Fault{API: "fake", DelayMs: 600_001}, "delayMs"},
		{"negative count", core.Fault{API: "fake", Status: 500, Count: -1}, "count"},
		{"bad phase", core.Fault{API: "fake", Status: 500, Phase: "during"}, `phase "during"`},
		{"after with delay only", core.Fault{API: "fake", DelayMs: 10, Phase: core.PhaseAfter}, "needs status or drop"},
		{"status", core.Fault{API: "fake", Status: 503}, ""},
		{"drop", core.Fault{API: "fake", Drop: true}, ""},
		{"delay", core.Fault{API: "fake", DelayMs: 5}, ""},
		{"after with status", core.Fault{API: "other", Status: 500, Phase: core.PhaseAfter}, ""},
		{"after with drop", core.Fault{API: "other", Drop: true, Phase: core.PhaseAfter}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs core.Faults
			got, err := fs.Add(tt.fault, servedAPIs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Add(%+v) error %v, want one containing %q", tt.fault, err, tt.wantErr)
				}
				if n := len(fs.List()); n != 0 {
					t.Fatalf("a refused fault was armed (%d listed)", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Add(%+v): %v", tt.fault, err)
			}
			if got.ID != 1 || got.Count != 1 || got.Remaining != 1 {
				t.Fatalf("stored %+v, want id 1, count 1, remaining 1", got)
			}
			if tt.fault.Phase == "" && got.Phase != core.PhaseBefore {
				t.Fatalf("phase %q, want the default %q", got.Phase, core.PhaseBefore)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	type req struct{ api, method, path, op string }
	tests := []struct {
		name  string
		fault core.Fault
		hit   []req
		miss  []req
	}{
		{"api only", core.Fault{API: "fake", Status: 500},
			[]req{{"fake", "GET", "/things/1", "getThing"}, {"fake", "POST", "/nowhere", ""}},
			[]req{{"other", "GET", "/things/1", "getThing"}}},
		{"glob path", core.Fault{API: "fake", Path: "/shipping/*", Status: 500},
			[]req{{"fake", "GET", "/shipping/item", "a"}, {"fake", "POST", "/shipping/", "b"}, {"fake", "GET", "/shipping/a/b/c", "c"}},
			[]req{{"fake", "GET", "/shipping", "a"}, {"fake", "GET", "/receiving/item", "a"}, {"fake", "GET", "/x/shipping/item", "a"}}},
		{"glob in the middle", core.Fault{API: "fake", Path: "/things/*/export", Status: 500},
			[]req{{"fake", "GET", "/things/1/export", ""}, {"fake", "GET", "/things/a/b/export", ""}},
			[]req{{"fake", "GET", "/things/1", ""}, {"fake", "GET", "/things/1/export/x", ""}}},
		{"exact path with regexp characters", core.Fault{API: "fake", Path: "/a.b(c)?", Status: 500},
			[]req{{"fake", "GET", "/a.b(c)?", ""}},
			[]req{{"fake", "GET", "/axb(c)?", ""}, {"fake", "GET", "/a.bc", ""}}},
		{"method, any case", core.Fault{API: "fake", Method: "post", Status: 500},
			[]req{{"fake", "POST", "/things", "postThing"}},
			[]req{{"fake", "GET", "/things", "postThing"}}},
		{"operation", core.Fault{API: "fake", Operation: "getThing", Status: 500},
			[]req{{"fake", "GET", "/things/9", "getThing"}},
			[]req{{"fake", "POST", "/things", "postThing"}, {"fake", "GET", "/unrouted", ""}}},
		{"everything at once", core.Fault{API: "fake", Method: "GET", Path: "/things/*", Operation: "getThing", Status: 500},
			[]req{{"fake", "GET", "/things/1", "getThing"}},
			[]req{{"fake", "PUT", "/things/1", "getThing"}, {"fake", "GET", "/thing/1", "getThing"}, {"fake", "GET", "/things/1", "exportThing"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs core.Faults
			f := tt.fault
			f.Count = len(tt.hit) + 1 // stays armed through every probe
			if _, err := fs.Add(f, servedAPIs); err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.miss {
				if got := fs.Take(r.api, r.method, r.path, r.op); got != nil {
					t.Errorf("%+v matched fault %+v", r, got)
				}
			}
			for _, r := range tt.hit {
				if got := fs.Take(r.api, r.method, r.path, r.op); got == nil {
					t.Errorf("%+v did not match", r)
				}
			}
		})
	}
}

func TestFaultCountConsumption(t *testing.T) {
	var fs core.Faults
	first, _ := fs.Add(core.Fault{API: "fake", Path: "/things/*", Status: 500, Count: 2}, servedAPIs)
	second, _ := fs.Add(core.Fault{API: "fake", Status: 503}, servedAPIs)
	if first.ID != 1 || second.ID != 2 {
		t.Fatalf("ids %d, %d; want 1, 2", first.ID, second.ID)
	}
	steps := []struct {
		path       string
		wantStatus int // 0: no fault
		remaining  []int
	}{
		{"/things/1", 500, []int{1, 1}},
		{"/other", 503, []int{1}}, // the second fault is used up and removed
		{"/other", 0, []int{1}},
		{"/things/2", 500, []int{}},
		{"/things/3", 0, []int{}},
	}
	for i, s := range steps {
		got := fs.Take("fake", "GET", s.path, "")
		switch {
		case s.wantStatus == 0 && got != nil:
			t.Fatalf("step %d: %s took fault %+v", i, s.path, got)
		case s.wantStatus != 0 && (got == nil || got.Status != s.wantStatus):
			t.Fatalf("step %d: %s took %+v, want status %d", i, s.path, got, s.wantStatus)
		}
		remaining := []int{}
		for _, f := range fs.List() {
			remaining = append(remaining, f.Remaining)
		}
		if !slices.Equal(remaining, s.remaining) {
			t.Fatalf("step %d: remaining %v, want %v", i, remaining, s.remaining)
		}
	}
}

func TestFaultClear(t *testing.T) {
	tests := []struct {
		clear string
		want  []string
	}{
		{"", nil},
		{"fake", []string{"other", "other"}},
		{"other", []string{"fake", "fake"}},
	}
	for _, tt := range tests {
		var fs core.Faults
		for _, api := range []string{"fake", "other", "fake", "other"} {
			if _, err := fs.Add(core.Fault{API: api, Status: 500}, servedAPIs); err != nil {
				t.Fatal(err)
			}
		}
		fs.Clear(tt.clear)
		var got []string
		for _, f := range fs.List() {
			got = append(got, f.API)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Clear(%q) left %v, want %v", tt.clear, got, tt.want)
		}
		if tt.clear != "" && fs.Take(tt.clear, "GET", "/", "") != nil {
			t.Errorf("a cleared %s fault still fires", tt.clear)
		}
	}
}

func TestFaultDescribe(t *testing.T) {
	tests := []struct {
		fault core.Fault
		want  string
	}{
		{core.Fault{API: "fake", Status: 503}, "#1 status 503 (before)"},
		{core.Fault{API: "fake", DelayMs: 250, Status: 504, Phase: core.PhaseAfter}, "#1 delay 250ms, status 504 (after)"},
		{core.Fault{API: "fake", Drop: true}, "#1 drop (before)"},
	}
	for _, tt := range tests {
		var fs core.Faults
		f, err := fs.Add(tt.fault, servedAPIs)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Describe(); got != tt.want {
			t.Errorf("Describe() = %q, want %q", got, tt.want)
		}
	}
}
