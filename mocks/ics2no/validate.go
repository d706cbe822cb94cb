package ics2no

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/upmock/upmock/mocks/core"
)

// The presentation operations.
const (
	opHouseConsignment = "presentHouseConsignment"
	opReceptacle       = "presentReceptacle"
	opENS              = "presentEntrySummaryDeclaration"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Element paths of the identifying references.
const (
	pathRequestID  = "requestId"
	pathOffice     = "customsOfficeOfPresentation"
	pathMRN        = "mrn"
	pathReceptacle = "receptacleIdentificationNumber"
	pathDocNumber  = "transportDocumentHouseLevel.documentNumber"
	pathDocType    = "transportDocumentHouseLevel.type"
)

func verr(description, path string) ValidationError {
	return ValidationError{Description: description, Pointer: Pointer{MessageElementPath: path}}
}

// checkLocked validates a due request and returns the 0-based static-list rows it presents,
// or the validation errors that refuse it.
func (s *store) checkLocked(r *Request) ([]int, []ValidationError) {
	var value any
	if err := json.Unmarshal(r.Body, &value); err != nil {
		return nil, []ValidationError{verr(descInvalidJSON, "")}
	}
	if errs := schemaErrors(s.validate(r.Operation, value)); len(errs) > 0 {
		return nil, errs
	}
	var (
		office  string
		rows    []int
		errs    []ValidationError
		refPath string
	)
	switch r.Operation {
	case opENS:
		var p EntrySummaryDeclarationPresentation
		_ = json.Unmarshal(r.Body, &p)
		office, refPath = p.CustomsOfficeOfPresentation, pathMRN
		if rows = s.list.byMRN(p.MRN); len(rows) == 0 {
			errs = append(errs, verr(descUnknownReference, pathMRN))
		}
	case opReceptacle:
		var p ReceptaclePresentation
		_ = json.Unmarshal(r.Body, &p)
		office, refPath = p.CustomsOfficeOfPresentation, pathReceptacle
		if rows = s.list.byReceptacle(p.ReceptacleIdentificationNumber); len(rows) == 0 {
			errs = append(errs, verr(descUnknownReference, pathReceptacle))
		}
	case opHouseConsignment:
		var p HouseConsignmentPresentation
		_ = json.Unmarshal(r.Body, &p)
		office, refPath = p.CustomsOfficeOfPresentation, pathDocNumber
		var hcErrs []ValidationError
		rows, hcErrs = s.houseConsignmentRows(p)
		errs = append(errs, hcErrs...)
	default:
		return nil, []ValidationError{verr(descInvalidValue, "")}
	}
	if !s.offices[office] {
		errs = append([]ValidationError{verr(descInvalidValue, pathOffice)}, errs...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, i := range rows {
		if s.presented[i] {
			return nil, []ValidationError{verr(descAlreadyPresented, refPath)}
		}
	}
	return rows, nil
}

// houseConsignmentRows selects a transport document's rows: its type must be a CL754 code and
// match the list, and each container named must be one of the document's.
func (s *store) houseConsignmentRows(p HouseConsignmentPresentation) ([]int, []ValidationError) {
	doc := p.TransportDocumentHouseLevel
	if !s.types[doc.Type] {
		return nil, []ValidationError{verr(descInvalidValue, pathDocType)}
	}
	if len(s.list.byDocument(doc.DocumentNumber)) == 0 {
		return nil, []ValidationError{verr(descUnknownReference, pathDocNumber)}
	}
	rows := s.list.byDocumentAndType(doc.DocumentNumber, doc.Type)
	if len(rows) == 0 {
		return nil, []ValidationError{verr(descUnknownReference, pathDocType)}
	}
	if len(p.TransportEquipment) == 0 {
		return rows, nil
	}
	var selected []int
	var errs []ValidationError
	seen := map[int]bool{}
	for i, eq := range p.TransportEquipment {
		found := false
		for _, row := range rows {
			if s.list.rows[row].ContainerID == eq.ContainerIdentificationNumber {
				found = true
				if !seen[row] {
					seen[row] = true
					selected = append(selected, row)
				}
			}
		}
		if !found {
			errs = append(errs, verr(descUnknownReference, fmt.Sprintf("transportEquipment[%d].containerIdentificationNumber", i)))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return selected, nil
}

// schemaErrors maps the document's findings to validation errors: a missing element is
// "Påkrevd verdi mangler", anything else "Ugyldig verdi"; one error per element.
func schemaErrors(violations []core.Violation) []ValidationError {
	var out []ValidationError
	seen := map[string]bool{}
	for _, v := range violations {
		path := elementPath(v.Pointer)
		if seen[path] {
			continue
		}
		seen[path] = true
		desc := descInvalidValue
		if v.Keyword == "required" {
			desc = descMissingValue
		}
		out = append(out, verr(desc, path))
	}
	return out
}

// elementPath writes a JSON pointer the way the service names elements:
// transportEquipment[0].containerIdentificationNumber.
func elementPath(pointer []string) string {
	var b strings.Builder
	for _, p := range pointer {
		if _, err := strconv.Atoi(p); err == nil && b.Len() > 0 {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
