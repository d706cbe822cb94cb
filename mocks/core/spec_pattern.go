package core

import (
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// bodyPattern matches a schema's pattern on a decoded JSON string. Most patterns of the
// documents are anchored runs of character classes (^[0-9A-Za-z\-]+$, ^[0-9]{2}[A-Z]{2}…$),
// which classPattern matches in one pass; on the hot request, regexp's general matcher was
// most of the compiled validator's time. Any other pattern keeps the regexp kin-openapi uses.
type bodyPattern struct {
	re       *regexp.Regexp
	branches [][]classAtom // non-nil: the pattern is ^(b1|b2|…)$ of class runs
}

func newBodyPattern(pattern string) (*bodyPattern, error) {
	re, err := compileKinPattern(pattern)
	if err != nil {
		return nil, err
	}
	p := &bodyPattern{re: re}
	// Parsed as regexp.Compile parses it, so the language is the one re matches.
	if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
		p.branches = classBranches(tree)
	}
	return p, nil
}

func (p *bodyPattern) match(b []byte) bool {
	if p.branches == nil {
		return p.re.Match(b)
	}
	for _, atoms := range p.branches {
		if matchAtoms(atoms, b) {
			return true
		}
	}
	return false
}

// classAtom is one character class repeated min..max times (max -1: unbounded).
type classAtom struct {
	ascii    [2]uint64 // the class's ASCII members
	ranges   []rune    // the class as lo, hi pairs, for runes beyond ASCII
	min, max int
}

func (a *classAtom) has(r rune) bool {
	if r < utf8.RuneSelf {
		return a.ascii[r/64]&(1<<(r%64)) != 0
	}
	for i := 0; i+1 < len(a.ranges); i += 2 {
		if a.ranges[i] <= r && r <= a.ranges[i+1] {
			return true
		}
	}
	return false
}

// classBranches returns the whole-string branches of an anchored pattern made of class runs,
// or nil when the pattern has any other shape.
func classBranches(re *syntax.Regexp) [][]classAtom {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	body := re.Sub[1 : len(re.Sub)-1]
	if len(body) == 1 && body[0].Op == syntax.OpCapture {
		body = body[0].Sub
	}
	var alternatives []*syntax.Regexp
	if len(body) == 1 && body[0].Op == syntax.OpAlternate {
		alternatives = body[0].Sub
	} else {
		alternatives = []*syntax.Regexp{{Op: syntax.OpConcat, Sub: body}}
	}
	var out [][]classAtom
	for _, alt := range alternatives {
		atoms, ok := classRun(alt)
		if !ok || !greedyIsExact(atoms) {
			return nil
		}
		out = append(out, atoms)
	}
	return out
}

// classRun flattens one branch into class atoms.
func classRun(re *syntax.Regexp) ([]classAtom, bool) {
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	var atoms []classAtom
	for _, part := range parts {
		if part.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		if part.Op == syntax.OpLiteral {
			for _, r := range part.Rune {
				atoms = append(atoms, newClassAtom([]rune{r, r}, 1, 1))
			}
			continue
		}
		min, max, sub := 1, 1, part
		switch part.Op {
		case syntax.OpStar:
			min, max, sub = 0, -1, part.Sub[0]
		case syntax.OpPlus:
			min, max, sub = 1, -1, part.Sub[0]
		case syntax.OpQuest:
			min, max, sub = 0, 1, part.Sub[0]
		case syntax.OpRepeat:
			min, max, sub = part.Min, part.Max, part.Sub[0]
		}
		ranges, ok := classRanges(sub)
		if !ok {
			return nil, false
		}
		atoms = append(atoms, newClassAtom(ranges, min, max))
	}
	return atoms, len(atoms) > 0
}

// classRanges is the set of runes one step of re matches, when re matches exactly one rune.
func classRanges(re *syntax.Regexp) ([]rune, bool) {
	if re.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	switch re.Op {
	case syntax.OpCharClass:
		return re.Rune, true
	case syntax.OpLiteral:
		if len(re.Rune) == 1 {
			return []rune{re.Rune[0], re.Rune[0]}, true
		}
	case syntax.OpAnyCharNotNL:
		return []rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}, true
	case syntax.OpAnyChar:
		return []rune{0, utf8.MaxRune}, true
	}
	return nil, false
}

func newClassAtom(ranges []rune, min, max int) classAtom {
	a := classAtom{ranges: ranges, min: min, max: max}
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1] && r < utf8.RuneSelf; r++ {
			a.ascii[r/64] |= 1 << (r % 64)
		}
	}
	return a
}

// greedyIsExact reports whether taking as many runes as possible for each atom decides the
// match. The rune after a variable atom's run is taken by one of the atoms after it, up to the
// first that must take at least one; when the atom shares no rune with those, no match can
// have it stop earlier than greedy does.
func greedyIsExact(atoms []classAtom) bool {
	for i, a := range atoms {
		if a.min == a.max {
			continue
		}
		for _, b := range atoms[i+1:] {
			if rangesOverlap(a.ranges, b.ranges) {
				return false
			}
			if b.min > 0 {
				break
			}
		}
	}
	return true
}

func rangesOverlap(a, b []rune) bool {
	for i := 0; i+1 < len(a); i += 2 {
		for j := 0; j+1 < len(b); j += 2 {
			if a[i] <= b[j+1] && b[j] <= a[i+1] {
				return true
			}
		}
	}
	return false
}

// matchAtoms matches the whole of b, greedily (exact by greedyIsExact).
func matchAtoms(atoms []classAtom, b []byte) bool {
	i := 0
	for k := range atoms {
		a := &atoms[k]
		n := 0
		for i < len(b) && (a.max < 0 || n < a.max) {
			r, size := rune(b[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(b[i:])
			}
			if !a.has(r) {
				break
			}
			i += size
			n++
		}
		if n < a.min {
			return false
		}
	}
	return i == len(b)
}
