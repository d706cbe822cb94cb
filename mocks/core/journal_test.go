package core_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/upmock/upmock/mocks/core"
)

// fill adds one entry per api name, in order, with Path set to its position ("/0", "/1", …).
func fill(j *core.Journal, apis ...string) {
	for i, api := range apis {
		j.Add(core.Entry{API: api, Path: "/" + string(rune('0'+i))})
	}
}

// seqs lists the entries' sequence numbers.
func seqs(es []core.Entry) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestJournalRingKeepsNewestInOrder(t *testing.T) {
	tests := []struct {
		size, adds int
		want       []int64
	}{
		{3, 0, []int64{}},
		{3, 2, []int64{1, 2}},
		{3, 3, []int64{1, 2, 3}},
		{3, 4, []int64{2, 3, 4}},
		{3, 8, []int64{6, 7, 8}},
		{1, 5, []int64{5}},
	}
	for _, tt := range tests {
		j := core.NewJournal(tt.size)
		for range tt.adds {
			j.Add(core.Entry{API: "a"})
		}
		if got := seqs(j.List("", 0)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("size %d after %d adds: seqs %v, want %v", tt.size, tt.adds, got, tt.want)
		}
	}
}

func TestJournalDefaultSize(t *testing.T) {
	j := core.NewJournal(0)
	for range core.DefaultJournalSize + 5 {
		j.Add(core.Entry{})
	}
	got := j.List("", 0)
	if len(got) != core.DefaultJournalSize || got[0].Seq != 6 || got[len(got)-1].Seq != core.DefaultJournalSize+5 {
		t.Fatalf("NewJournal(0) kept %d entries, seq %d..%d", len(got), got[0].Seq, got[len(got)-1].Seq)
	}
}

func TestJournalList(t *testing.T) {
	j := core.NewJournal(5)
	fill(j, "a", "b", "a", "b", "a", "b", "a") // keeps seq 3..7: a b a b a
	tests := []struct {
		api   string
		limit int
		want  []int64
	}{
		{"", 0, []int64{3, 4, 5, 6, 7}},
		{"a", 0, []int64{3, 5, 7}},
		{"b", 0, []int64{4, 6}},
		{"", 2, []int64{6, 7}},
		{"a", 2, []int64{5, 7}},
		{"a", 1, []int64{7}},
		{"b", 10, []int64{4, 6}},
		{"nope", 0, []int64{}},
	}
	for _, tt := range tests {
		if got := seqs(j.List(tt.api, tt.limit)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("List(%q, %d) = %v, want %v", tt.api, tt.limit, got, tt.want)
		}
	}
}

func TestJournalClear(t *testing.T) {
	tests := []struct {
		name      string
		size      int
		apis      []string
		clear     string
		thenAdd   []string
		wantSeqs  []int64
		wantPaths []string
	}{
		{"all", 5, []string{"a", "b", "a"}, "", nil, []int64{}, []string{}},
		{"one api", 5, []string{"a", "b", "a", "b"}, "a", nil, []int64{2, 4}, []string{"/1", "/3"}},
		{"one api of a wrapped ring", 3, []string{"a", "b", "a", "b", "a"}, "a", nil, []int64{4}, []string{"/3"}},
		{"then the ring fills and wraps again", 3, []string{"a", "b", "a", "b", "a"}, "a", []string{"c", "c", "c"},
			[]int64{6, 7, 8}, nil},
		{"an api with no entries keeps all", 3, []string{"a", "b", "a", "b"}, "z", []string{"c"},
			[]int64{3, 4, 5}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := core.NewJournal(tt.size)
			fill(j, tt.apis...)
			j.Clear(tt.clear)
			for _, api := range tt.thenAdd {
				j.Add(core.Entry{API: api})
			}
			got := j.List("", 0)
			if s := seqs(got); !reflect.DeepEqual(s, tt.wantSeqs) {
				t.Fatalf("seqs %v, want %v", s, tt.wantSeqs)
			}
			if tt.wantPaths != nil {
				paths := []string{}
				for _, e := range got {
					paths = append(paths, e.Path)
				}
				if !reflect.DeepEqual(paths, tt.wantPaths) {
					t.Fatalf("paths %v, want %v", paths, tt.wantPaths)
				}
			}
		})
	}
}

func TestRedactHeaders(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyZXF1ZXN0RGF0ZSI6IjIwMjYifQ.c2lnbmF0dXJl"
	tests := []struct {
		name   string
		header string
		value  string
		want   string
		secret string // must not survive, when set
	}{
		{"bearer JWT keeps header and payload", "Authorization", "Bearer " + jwt,
			"Bearer eyJhbGciOiJIUzI1NiJ9.eyJyZXF1ZXN0RGF0ZSI6IjIwMjYifQ.REDACTED", "c2lnbmF0dXJl"},
		{"bare JWT", "Authorization", jwt, "eyJhbGciOiJIUzI1NiJ9.eyJyZXF1ZXN0RGF0ZSI6IjIwMjYifQ.REDACTED", "c2lnbmF0dXJl"},
		{"basic", "Authorization", "Basic dXNlcjpwYXNzd29yZA==", "Basic REDACTED", "dXNlcjpwYXNzd29yZA"},
		{"opaque bearer", "Authorization", "Bearer 0123456789abcdef", "Bearer REDACTED", "0123456789abcdef"},
		{"proxy basic", "Proxy-Authorization", "Basic dXNlcjpwYXNz", "Basic REDACTED", "dXNlcjpwYXNz"},
		{"api secret", "X-Api-Secret", "s3cr3t", "REDACTED", "s3cr3t"},
		{"single cookie", "Cookie", "sid=s3cr3t", "REDACTED", "s3cr3t"},
		// A browser sends every cookie in one header; none of their values may survive.
		{"several cookies", "Cookie", "sid=s3cr3t; theme=dark", "", "s3cr3t"},
		{"content type untouched", "Content-Type", "application/json", "application/json", ""},
		{"api key header untouched", "X-Atlas-Api-Key", "key-1", "key-1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := http.Header{}
			in.Set(tt.header, tt.value)
			in.Set("X-Request-Id", "r-1")
			out := core.RedactHeaders(in)
			got := strings.Join(out[tt.header], ",")
			if tt.want != "" && got != tt.want {
				t.Errorf("%s: %q, want %q", tt.header, got, tt.want)
			}
			if tt.secret != "" && strings.Contains(got, tt.secret) {
				t.Errorf("%s: %q still shows the secret %q", tt.header, got, tt.secret)
			}
			if !strings.Contains(got, "REDACTED") && tt.secret != "" {
				t.Errorf("%s: %q says nothing was redacted", tt.header, got)
			}
			if v := out["X-Request-Id"]; len(v) != 1 || v[0] != "r-1" {
				t.Errorf("X-Request-Id became %v", v)
			}
			if in.Get(tt.header) != tt.value {
				t.Errorf("RedactHeaders changed its input to %q", in.Get(tt.header))
			}
		})
	}
}

func TestRedactHeadersEveryValue(t *testing.T) {
	in := http.Header{"Authorization": {"Basic dXNlcjpwYXNz", "Bearer a.b.c"}}
	got := core.RedactHeaders(in)["Authorization"]
	if want := []string{"Basic REDACTED", "Bearer a.b.REDACTED"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Authorization %v, want %v", got, want)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		n       int
		wantLen int
		cut     bool
	}{
		{0, 0, false},
		{10, 10, false},
		{core.MaxJournalBody, core.MaxJournalBody, false},
		{core.MaxJournalBody + 1, core.MaxJournalBody, true},
		{3 * core.MaxJournalBody, core.MaxJournalBody, true},
	}
	for _, tt := range tests {
		b := []byte(strings.Repeat("x", tt.n))
		got, cut := core.Truncate(b)
		if len(got) != tt.wantLen || cut != tt.cut {
			t.Errorf("Truncate(%d bytes) = %d bytes, cut %v; want %d, %v", tt.n, len(got), cut, tt.wantLen, tt.cut)
		}
	}
}
