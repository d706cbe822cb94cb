package ics2no

import (
	"fmt"
	"regexp"
	"strings"
)

// Row is one line of the playground's static list (seed 001, "Testing"): the references a
// presentation may name and the routing signal the playground gives for them.
type Row struct {
	// Row is the line's 1-based position in the seed's table.
	Row            int    `json:"row"`
	MRN            string `json:"entrySummaryDeclarationMRN"`
	ReceptacleID   string `json:"receptacleId,omitempty"`
	DocumentNumber string `json:"documentNumber"`
	Type           string `json:"type"`
	ContainerID    string `json:"containerId,omitempty"`
	Routing        string `json:"routing,omitempty"`
}

// staticListHeader starts the table's header line, as the seed prints it.
const staticListHeader = "Entry Summary Declaration MRN Receptacle ID TransportDocumentHouseLevel"

var mrnPattern = regexp.MustCompile(`^[0-9]{2}[A-Z]{2}[A-Z0-9]{14}$`)

// parseStaticList reads the table exactly as the seed prints it: one line per row, cells
// separated by spaces, empty cells shown as no-break spaces or left out altogether (the
// receptacle column of rows 3–8). Cells are told apart by what they hold: the MRN first, the
// transport document type is a CL754 code, after it the container and the routing signal,
// before it the document number, and before that (when present) the receptacle ID.
func parseStaticList(text string, documentTypes map[string]bool) ([]Row, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], staticListHeader) {
		return nil, fmt.Errorf("static list: the first line must be the seed's header %q…", staticListHeader)
	}
	var rows []Row
	for i, line := range lines[1:] {
		cells := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\t' || r == '\r' })
		if len(cells) == 0 {
			continue
		}
		row, err := parseRow(cells, documentTypes)
		if err != nil {
			return nil, fmt.Errorf("static list line %d %q: %w", i+2, line, err)
		}
		row.Row = len(rows) + 1
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("static list: no rows")
	}
	return rows, nil
}

func parseRow(cells []string, documentTypes map[string]bool) (Row, error) {
	var row Row
	if !mrnPattern.MatchString(cells[0]) {
		return row, fmt.Errorf("%q is not an MRN", cells[0])
	}
	row.MRN, cells = cells[0], cells[1:]
	if n := len(cells); n > 0 && (cells[n-1] == RoutingToControl || cells[n-1] == RoutingToEntry) {
		row.Routing, cells = cells[n-1], cells[:n-1]
	}
	typeAt := -1
	for i := len(cells) - 1; i >= 0; i-- {
		if documentTypes[cells[i]] {
			typeAt = i
			break
		}
	}
	if typeAt < 0 {
		return row, fmt.Errorf("no CL754 transport document type")
	}
	row.Type = cells[typeAt]
	switch after := cells[typeAt+1:]; len(after) {
	case 0:
	case 1:
		row.ContainerID = after[0]
	default:
		return row, fmt.Errorf("more than one cell after the document type: %q", after)
	}
	switch before := cells[:typeAt]; len(before) {
	case 1:
		row.DocumentNumber = before[0]
	case 2:
		row.ReceptacleID, row.DocumentNumber = before[0], before[1]
	default:
		return row, fmt.Errorf("want the document number (and a receptacle ID) before the type, got %q", before)
	}
	return row, nil
}

// staticList answers which rows a presentation names.
type staticList struct {
	rows []Row
}

func (l staticList) where(keep func(Row) bool) []int {
	var out []int
	for i, r := range l.rows {
		if keep(r) {
			out = append(out, i)
		}
	}
	return out
}

func (l staticList) byMRN(mrn string) []int {
	return l.where(func(r Row) bool { return r.MRN == mrn })
}

func (l staticList) byReceptacle(id string) []int {
	return l.where(func(r Row) bool { return r.ReceptacleID != "" && r.ReceptacleID == id })
}

func (l staticList) byDocument(number string) []int {
	return l.where(func(r Row) bool { return r.DocumentNumber == number })
}

func (l staticList) byDocumentAndType(number, typ string) []int {
	return l.where(func(r Row) bool { return r.DocumentNumber == number && r.Type == typ })
}
