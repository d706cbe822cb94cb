package jaia

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// condition is one searchConditions element.
type condition struct {
	col      *Column
	value    string
	operator int
}

// query is a checked search or export request.
type query struct {
	conds   []condition
	dataset []*Column
	sorts   []sortKey
	status  string
	limit   int
	page    int
}

type sortKey struct {
	col  *Column
	desc bool
}

const maxDisplay = 200

// parseQuery applies §1-8's checks to a search (export=false) or export-deleted request.
func (cat *Catalogue) parseQuery(m *Master, body map[string]any, export bool) (*query, []string) {
	q := &query{status: "10", limit: maxDisplay}
	var msgs []string
	columns := m.columns
	if export {
		columns = m.export
	}
	conds, _ := body["searchConditions"].([]any)
	if len(conds) == 0 {
		msgs = append(msgs, cat.msg("required", "検索条件"))
	}
	bad := false
	for _, raw := range conds {
		el, _ := raw.(map[string]any)
		col := columns[str(el["columnName"])]
		if col == nil || col.Search == "no" {
			bad = true
			continue
		}
		c := condition{col: col, value: str(el["value"])}
		if col.Operator {
			op, err := strconv.Atoi(str(el["operator"]))
			if el["operator"] == nil {
				op, err = 0, nil
			}
			if err != nil || op < 0 || op > 4 {
				msgs = append(msgs, cat.msg("attribute", "operator", "数値"))
				continue
			}
			c.operator = op
			if !validDate(c.value) {
				msgs = append(msgs, cat.msg("attribute", col.Label, "日付"))
				continue
			}
		}
		if utf8.RuneCountInString(c.value) > 500 {
			msgs = append(msgs, cat.msg("maxDigits", "value", "500"))
			continue
		}
		q.conds = append(q.conds, c)
	}
	if bad {
		msgs = append(msgs, cat.msg("searchColumn"))
	}
	if !export {
		list, _ := body["datasetList"].([]any)
		if len(list) == 0 {
			msgs = append(msgs, cat.msg("required", "取得項目"))
		}
		bad = false
		for _, raw := range list {
			el, _ := raw.(map[string]any)
			col := m.columns[str(el["columnName"])]
			if col == nil || !col.Select {
				bad = true
				continue
			}
			q.dataset = append(q.dataset, col)
		}
		if bad {
			msgs = append(msgs, cat.msg("datasetColumn"))
		}
		sorts, _ := body["sortList"].([]any)
		bad = false
		for _, raw := range sorts {
			el, _ := raw.(map[string]any)
			col := m.columns[str(el["columnName"])]
			if col == nil || !col.Sort {
				bad = true
				continue
			}
			st := strings.ToLower(str(el["sortType"]))
			if st != "" && st != "asc" && st != "desc" {
				msgs = append(msgs, cat.msg("attribute", "ソート方法", "asc または desc"))
				continue
			}
			q.sorts = append(q.sorts, sortKey{col, st == "desc"})
		}
		if bad {
			msgs = append(msgs, cat.msg("sortColumn"))
		}
		if v, ok := body["displayNumber"]; ok && v != nil {
			n, err := strconv.Atoi(str(v))
			if err != nil || n <= 0 {
				msgs = append(msgs, cat.msg("attribute", "表示件数", "数値"))
			} else if n < maxDisplay {
				q.limit = n // above 200 is clamped to 200
			}
		}
		if v, ok := body["pageNumber"]; ok && v != nil {
			n, err := strconv.Atoi(str(v))
			if err != nil || n < 0 {
				msgs = append(msgs, cat.msg("attribute", "ページ番号", "数値"))
			} else {
				q.page = n
			}
		}
	}
	if v, ok := body["infoOpenStatus"]; ok && v != nil && m.publishes() {
		s := str(v)
		switch s {
		case "02", "10", "20", "99":
			q.status = s
		default:
			msgs = append(msgs, cat.msg("notInMaster", "公開ステータス"))
		}
	}
	return q, msgs
}

// openStatus derives 02 仮登録 / 10 使用中 / 20 使用終了 from the publish dates.
func openStatus(r record, today string) string {
	switch {
	case r["info_open_start_date"] > today:
		return "02"
	case r["info_open_end_date"] != "" && r["info_open_end_date"] < today:
		return "20"
	}
	return "10"
}

// matches applies every condition (AND, §1-8).
func (q *query) matches(r record, m *Master, today string) bool {
	if m.publishes() && q.status != "99" && openStatus(r, today) != q.status {
		return false
	}
	for _, c := range q.conds {
		var have string
		if c.col.Name == "jan_flag" {
			have = "02"
			if strings.HasPrefix(r["jaia_code"], "JAN0") {
				have = "01"
			}
		} else {
			have = r[c.col.Name]
		}
		if c.col.Operator {
			if !compareDate(have, c.value, c.operator) {
				return false
			}
			continue
		}
		if !matchAny(have, c.value, c.col.Search == "fuzzy") {
			return false
		}
	}
	return true
}

// compareDate compares the date part of a stored date or audit time with YYYYMMDD/YYYYMM.
func compareDate(have, want string, op int) bool {
	have = strings.NewReplacer("/", "").Replace(have)
	if len(have) > len(want) {
		have = have[:len(want)]
	}
	if have == "" {
		return false
	}
	switch op {
	case 1:
		return have >= want
	case 2:
		return have <= want
	case 3:
		return have > want
	case 4:
		return have < want
	}
	return have == want
}

// matchAny: a comma in the value means any of the parts; each part is a partial match;
// on ◎ columns width and hiragana/katakana do not count. 「¥¥」 stands for one backslash.
func matchAny(have, value string, fuzzy bool) bool {
	value = strings.ReplaceAll(value, `\\`, `\`)
	if fuzzy {
		have = fold(have)
	}
	for _, part := range strings.Split(value, ",") {
		if fuzzy {
			part = fold(part)
		}
		if strings.Contains(have, part) {
			return true
		}
	}
	return false
}

// fold maps full-width ASCII and spaces to half width, half-width katakana to full width and
// hiragana to katakana, so ◎ columns compare as §1-8 says.
func fold(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '　':
			r = ' '
		case r == '￥':
			r = '\\'
		case r >= 'ぁ' && r <= 'ゖ':
			r += 0x60
		case r >= 0xFF61 && r <= 0xFF9F:
			full := halfKana[r-0xFF61]
			if i+1 < len(rs) && (rs[i+1] == 'ﾞ' || rs[i+1] == 'ﾟ') {
				if v, ok := voiced[string(full)+string(rs[i+1])]; ok {
					full = v
					i++
				}
			}
			r = full
		}
		b.WriteRune(r)
	}
	return b.String()
}

var halfKana = []rune("。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜")

var voiced = func() map[string]rune {
	m := map[string]rune{}
	base := "カキクケコサシスセソタチツテトハヒフヘホ"
	for _, r := range base {
		m[string(r)+"ﾞ"] = r + 1
	}
	for _, r := range "ハヒフヘホ" {
		m[string(r)+"ﾟ"] = r + 2
	}
	m["ウﾞ"] = 'ヴ'
	return m
}()

// sortRows orders by sortList, then by key (the default order, NOTES.md A-27).
func sortRows(rows []record, q *query, keyCol string) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range q.sorts {
			a, b := rows[i][k.col.Name], rows[j][k.col.Name]
			if a != b {
				if k.desc {
					return a > b
				}
				return a < b
			}
		}
		return rows[i][keyCol] < rows[j][keyCol]
	})
}

// render formats a stored value for metadataList (§1-13 formats).
func render(col *Column, v string) string {
	if v == "" {
		return ""
	}
	switch col.Format {
	case "yyyy/MM/dd":
		if len(v) == 8 {
			return v[:4] + "/" + v[4:6] + "/" + v[6:]
		}
		if len(v) >= 10 && v[4] == '/' {
			return v[:10]
		}
	case "yyyy/MM":
		if len(v) == 6 {
			return v[:4] + "/" + v[4:]
		}
	}
	return v
}

// str renders a decoded JSON scalar as the string the catalogue checks.
func str(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return "\x00" // objects and arrays fail every attribute check
}
