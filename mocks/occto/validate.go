package occto

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Receipt-message error codes (ERR_CD) and their messages (ERR_MSG); the item's name is
// appended in full-width parentheses. The codes are the mock's (NOTES.md).
var (
	findMalformed   = finding{"E001", "XMLの形式が正しくありません"}
	findEncoding    = finding{"E002", "文字コードが正しくありません"}
	findMissing     = finding{"E101", "必須項目が設定されていません"}
	findUndefined   = finding{"E102", "定義されていない項目です"}
	findTooMany     = finding{"E103", "項目の繰返し回数が上限を超えています"}
	findOrder       = finding{"E104", "項目の順序が正しくありません"}
	findGroupText   = finding{"E105", "グループ項目に値は設定できません"}
	findLength      = finding{"E201", "桁数が正しくありません"}
	findFormat      = finding{"E202", "形式が正しくありません"}
	findDate        = finding{"E203", "日付の形式が正しくありません"}
	findDateTime    = finding{"E204", "日時の形式が正しくありません"}
	findCode        = finding{"E205", "コード値が正しくありません"}
	findSender      = finding{"E301", "送信者コードが利用者の事業者コードと一致しません"}
	findReceiver    = finding{"E302", "受信者コードが正しくありません"}
	findAgency      = finding{"E303", "BPID機関コードが正しくありません"}
	findPeriod      = finding{"E304", "作業停止終了日時が作業停止開始日時以前です"}
	findDuplicate   = finding{"E305", "事業者計画番号が重複しています"}
	findHeaderMatch = finding{"E306", "メッセージグループヘッダと共通部の値が一致しません"}
)

type finding struct{ code, message string }

// at makes the Finding for item (a path) and value; name is the item's 項目名.
func (f finding) at(item, name, value string) Finding {
	msg := f.message
	if name != "" {
		msg += "（" + name + "）"
	}
	return Finding{Code: f.code, Item: item, Value: value, Message: msg}
}

// validator collects findings, at most max of them.
type validator struct {
	max      int
	findings []Finding
}

func (v *validator) add(f Finding) {
	if len(v.findings) < v.max {
		v.findings = append(v.findings, f)
	}
}

// validateDocument checks doc against messageSchema and returns the findings.
func validateDocument(doc *etree.Document, max int) []Finding {
	v := &validator{max: max}
	roots := doc.ChildElements()
	switch {
	case len(roots) == 0:
		v.add(findMalformed.at("", "", "ルート要素がありません"))
	case len(roots) > 1:
		v.add(findMalformed.at("", "", "ルート要素が複数あります"))
	case roots[0].FullTag() != messageSchema.tag:
		v.add(findUndefined.at(roots[0].FullTag(), "", ""))
		v.add(findMissing.at(messageSchema.tag, messageSchema.name, ""))
	default:
		v.element(roots[0], messageSchema, messageSchema.tag)
	}
	return v.findings
}

// element checks one element against its schema; path names it in findings.
func (v *validator) element(e *etree.Element, s *elem, path string) {
	for _, a := range e.Attr {
		v.add(findUndefined.at(path+"/@"+a.FullKey(), "", a.Value))
	}
	if s.kind != kindGroup {
		if len(e.ChildElements()) > 0 {
			v.add(findUndefined.at(path+"/"+e.ChildElements()[0].FullTag(), "", ""))
			return
		}
		v.leaf(e.Text(), s, path)
		return
	}
	for _, t := range e.Child {
		if cd, ok := t.(*etree.CharData); ok && strings.TrimSpace(cd.Data) != "" {
			v.add(findGroupText.at(path, s.name, strings.TrimSpace(cd.Data)))
			break
		}
	}
	v.children(e, s, path)
}

// children walks e's child elements in document order against s's sequence: unknown tags,
// tags out of order, too many repetitions, then whatever required item never appeared.
func (v *validator) children(e *etree.Element, s *elem, path string) {
	counts := make([]int, len(s.children))
	pos := 0
	for _, c := range e.ChildElements() {
		i, cs := s.child(c.FullTag())
		if cs == nil {
			v.add(findUndefined.at(path+"/"+c.FullTag(), "", ""))
			continue
		}
		counts[i]++
		item := path + "/" + cs.tag
		if cs.repeats() {
			item = fmt.Sprintf("%s[%d]", item, counts[i])
		}
		if i < pos {
			v.add(findOrder.at(item, cs.name, ""))
			continue
		}
		pos = i
		if cs.max > 0 && counts[i] > cs.max {
			if counts[i] == cs.max+1 {
				v.add(findTooMany.at(item, cs.name, fmt.Sprint(cs.max)))
			}
			continue
		}
		v.element(c, cs, item)
	}
	for i, cs := range s.children {
		if counts[i] < cs.min {
			v.add(findMissing.at(path+"/"+cs.tag, cs.name, ""))
		}
	}
}

// leaf checks a value; an empty value counts as absent.
func (v *validator) leaf(value string, s *elem, path string) {
	if value == "" {
		if s.min > 0 {
			v.add(findMissing.at(path, s.name, ""))
		}
		return
	}
	switch s.kind {
	case kindText:
		if utf8.RuneCountInString(value) > s.maxLen {
			v.add(findLength.at(path, s.name, value))
		}
	case kindPattern:
		if !s.pattern.MatchString(value) {
			v.add(findFormat.at(path, s.name, value))
		}
	case kindCode:
		if !slices.Contains(s.codes, value) {
			v.add(findCode.at(path, s.name, value))
		}
	case kindDate:
		if _, ok := parseTime("20060102", value); !ok {
			v.add(findDate.at(path, s.name, value))
		}
	case kindDateTime12:
		if _, ok := parseTime("200601021504", value); !ok {
			v.add(findDateTime.at(path, s.name, value))
		}
	case kindDateTime14:
		if _, ok := parseTime("20060102150405", value); !ok {
			v.add(findDateTime.at(path, s.name, value))
		}
	}
}

// parseTime reads value in layout (all digits, exactly the layout's length) as JST.
func parseTime(layout, value string) (time.Time, bool) {
	if len(value) != len(layout) || strings.Trim(value, "0123456789") != "" {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(layout, value, jst)
	return t, err == nil
}

// jst is Japan Standard Time, the zone of every date in the messages and of the daily limit.
var jst = time.FixedZone("JST", 9*60*60)
