package occto

import (
	"fmt"
	"regexp"
)

// The 作業停止計画 message (BPID 版 3A, サブ機関コード S1, 情報区分コード 0001) as the mock
// validates it. specs/occto/outage-plan.xsd states the same rules as an XML schema; a test
// keeps the two in step. The envelope (SBD-MSG/JPMGRP/{JPMGH, JPTRM}) and the JPTRM items
// JP00002, JP06110–JP06116 and JP06170 are the EDI 共通規格's; the plan rows use the
// standard's repeating-group shape (JPM000nn > JPMR000nn) with descriptive tags inside, as
// the seed allows (「XML メッセージ内の一部タグは共通規格非準拠となります」).

// kind is how a leaf's text is checked.
type kind int

const (
	kindGroup      kind = iota // child elements only
	kindText                   // any characters up to maxLen (characters, not bytes)
	kindPattern                // matches pattern
	kindCode                   // one of codes
	kindDate                   // YYYYMMDD, a real date
	kindDateTime12             // YYYYMMDDhhmm, a real date and time
	kindDateTime14             // YYYYMMDDhhmmss
)

// elem is one element of the message: its tag, its name (項目名, used in receipt messages),
// how often it occurs in its parent (max 0: unbounded) and how its content is checked.
// Children must appear in the order given.
type elem struct {
	tag      string
	name     string
	min, max int
	kind     kind
	maxLen   int
	pattern  *regexp.Regexp
	codes    []string
	children []*elem
}

func (e *elem) repeats() bool { return e.max != 1 }

func (e *elem) child(tag string) (int, *elem) {
	for i, c := range e.children {
		if c.tag == tag {
			return i, c
		}
	}
	return -1, nil
}

var (
	codePattern     = regexp.MustCompile(`^[0-9A-Z]{5}$`)
	agencyPattern   = regexp.MustCompile(`^[0-9A-Z]{1,5}$`)
	planNoPattern   = regexp.MustCompile(`^[0-9A-Za-z-]{1,20}$`)
	facilityPattern = regexp.MustCompile(`^[0-9A-Z]{1,10}$`)
	// receptionNoPattern is FILERECEPTIONNO's and OCCTORECEPTIONNO's shape (10 digits).
	receptionNoPattern = regexp.MustCompile(`^[0-9]{10}$`)
)

func group(tag, name string, min, max int, children ...*elem) *elem {
	return &elem{tag: tag, name: name, min: min, max: max, kind: kindGroup, children: children}
}

func text(tag, name string, min, maxLen int) *elem {
	return &elem{tag: tag, name: name, min: min, max: 1, kind: kindText, maxLen: maxLen}
}

func pattern(tag, name string, min int, re *regexp.Regexp) *elem {
	return &elem{tag: tag, name: name, min: min, max: 1, kind: kindPattern, pattern: re}
}

func code(tag, name string, codes ...string) *elem {
	return &elem{tag: tag, name: name, min: 1, max: 1, kind: kindCode, codes: codes}
}

func timed(tag, name string, k kind) *elem {
	return &elem{tag: tag, name: name, min: 1, max: 1, kind: k}
}

// Fixed values of this message's header.
const (
	bpidVersion    = "3A"
	bpidSubAgency  = "S1"
	infoCode       = "0001"
	maxPlansInFile = 1000
	maxPeriods     = 10
)

// reasonCodes are 停止理由コード.
var reasonCodes = []string{"01", "02", "03", "04", "09"}

// messageSchema is the whole message, rooted at SBD-MSG.
var messageSchema = group("SBD-MSG", "メッセージ", 1, 1,
	group("JPMGRP", "メッセージグループ", 1, 1,
		group("JPMGH", "メッセージグループヘッダ", 1, 1, headerItems()...),
		group("JPTRM", "共通部", 1, 1,
			code("JP00002", "情報区分コード", infoCode),
			text("JP06170", "情報区分名称", 0, 50),
			pattern("JP06110", "送信者コード", 1, codePattern),
			text("JP06111", "送信者名称", 0, 50),
			pattern("JP06112", "受信者コード", 1, codePattern),
			text("JP06113", "受信者名称", 0, 50),
			timed("JP06116", "作成日", kindDate),
			group("JPM00010", "作業停止計画", 1, 1,
				group("JPMR00010", "作業停止計画明細", 1, maxPlansInFile,
					code("PLANDIVISION", "計画区分", "01", "02", "03"),
					pattern("SBMIT_PLAN_NO", "事業者計画番号", 1, planNoPattern),
					pattern("FACILITY_CD", "設備コード", 1, facilityPattern),
					text("FACILITY_NM", "設備名称", 1, 50),
					code("STOP_REASON_CD", "停止理由コード", reasonCodes...),
					text("STOP_REASON", "作業内容", 0, 100),
					group("JPM00011", "作業停止期間", 1, 1,
						group("JPMR00011", "作業停止期間明細", 1, maxPeriods,
							timed("STOP_START_DAYTIME", "作業停止開始日時", kindDateTime12),
							timed("STOP_END_DAYTIME", "作業停止終了日時", kindDateTime12),
						),
					),
				),
			),
		),
	),
)

// headerItems is JPMGH: the CII message group header's items JPC01–JPC22 in order. The mock
// checks the eight the seed and public clients show in use; the others may be present (any
// text up to 50 characters) but are not required.
func headerItems() []*elem {
	modelled := map[string]*elem{
		"JPC03": code("JPC03", "運用モード", "0", "1"),
		"JPC06": pattern("JPC06", "発信者コード", 1, codePattern),
		"JPC09": pattern("JPC09", "受信者コード", 1, codePattern),
		"JPC10": pattern("JPC10", "BPID機関コード", 1, agencyPattern),
		"JPC11": code("JPC11", "BPIDサブ機関コード", bpidSubAgency),
		"JPC12": code("JPC12", "BPID版", bpidVersion),
		"JPC14": code("JPC14", "情報区分コード", infoCode),
		"JPC19": timed("JPC19", "作成日付時刻", kindDateTime14),
	}
	var out []*elem
	for i := 1; i <= 22; i++ {
		tag := fmt.Sprintf("JPC%02d", i)
		if e, ok := modelled[tag]; ok {
			out = append(out, e)
			continue
		}
		out = append(out, text(tag, "ヘッダ項目"+tag, 0, 50))
	}
	return out
}
