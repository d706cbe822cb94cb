package occto

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite specs/occto/outage-plan.xsd from the validator's rules")

const xsdPath = "../../specs/occto/outage-plan.xsd"

// TestXSDIsTheValidatorsRules keeps specs/occto/outage-plan.xsd, the schema clients read,
// identical to the rules the mock validates with (messageSchema). After changing the rules:
// go test ./mocks/occto -run TestXSDIsTheValidatorsRules -update
func TestXSDIsTheValidatorsRules(t *testing.T) {
	want := renderXSD(messageSchema)
	if *update {
		if err := os.WriteFile(xsdPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(xsdPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s differs from the validator's rules; rerun with -update and review the diff", xsdPath)
	}
}

func renderXSD(root *elem) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!--
  作業停止計画 (BPID 版 3A, BPID サブ機関コード S1, 情報区分コード 0001) as upmock's OCCTO mock
  validates it (BA13B101). Generated from mocks/occto/message.go; do not edit by hand.
  Beyond this schema the mock checks: dates and times are real ones (JST); JP06110 is the
  caller's 事業者コード and equals JPC06; JP06112 and JPC09 are OCCTO's 受信者コード and JPC10
  its BPID 機関コード (GET /__upmock/credentials, "receiver"); every period ends after it
  starts; PLANDIVISION + SBMIT_PLAN_NO is unique within a file. See NOTES.md.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="unqualified">
`)
	renderElem(&b, root, 1, true)
	b.WriteString("</xs:schema>\n")
	return b.String()
}

func renderElem(b *strings.Builder, e *elem, depth int, top bool) {
	ind := strings.Repeat("  ", depth)
	occurs := ""
	if !top {
		if e.min != 1 {
			occurs += fmt.Sprintf(` minOccurs="%d"`, e.min)
		}
		switch {
		case e.max == 0:
			occurs += ` maxOccurs="unbounded"`
		case e.max != 1:
			occurs += fmt.Sprintf(` maxOccurs="%d"`, e.max)
		}
	}
	fmt.Fprintf(b, "%s<xs:element name=%q%s>\n", ind, e.tag, occurs)
	fmt.Fprintf(b, "%s  <xs:annotation><xs:documentation>%s</xs:documentation></xs:annotation>\n", ind, e.name)
	if e.kind == kindGroup {
		fmt.Fprintf(b, "%s  <xs:complexType>\n%s    <xs:sequence>\n", ind, ind)
		for _, c := range e.children {
			renderElem(b, c, depth+3, false)
		}
		fmt.Fprintf(b, "%s    </xs:sequence>\n%s  </xs:complexType>\n", ind, ind)
	} else {
		fmt.Fprintf(b, "%s  <xs:simpleType>\n%s    <xs:restriction base=\"xs:string\">\n", ind, ind)
		for _, facet := range facets(e) {
			fmt.Fprintf(b, "%s      %s\n", ind, facet)
		}
		fmt.Fprintf(b, "%s    </xs:restriction>\n%s  </xs:simpleType>\n", ind, ind)
	}
	fmt.Fprintf(b, "%s</xs:element>\n", ind)
}

func facets(e *elem) []string {
	switch e.kind {
	case kindText:
		return []string{fmt.Sprintf(`<xs:maxLength value="%d"/>`, e.maxLen)}
	case kindPattern:
		return []string{fmt.Sprintf(`<xs:pattern value=%q/>`, strings.TrimSuffix(strings.TrimPrefix(e.pattern.String(), "^"), "$"))}
	case kindCode:
		var out []string
		for _, c := range e.codes {
			out = append(out, fmt.Sprintf(`<xs:enumeration value=%q/>`, c))
		}
		return out
	case kindDate:
		return []string{`<xs:pattern value="[0-9]{8}"/><!-- YYYYMMDD -->`}
	case kindDateTime12:
		return []string{`<xs:pattern value="[0-9]{12}"/><!-- YYYYMMDDhhmm -->`}
	case kindDateTime14:
		return []string{`<xs:pattern value="[0-9]{14}"/><!-- YYYYMMDDhhmmss -->`}
	}
	return nil
}
