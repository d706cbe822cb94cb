package jaia

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	reDigits   = regexp.MustCompile(`^[0-9]+$`)
	reDigitsCS = regexp.MustCompile(`^[0-9]+(,[0-9]+)*$`)
	reJAIACode = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// stripsHyphen: zip codes and phone numbers accept 「-」 and drop it (§1-11).
func stripsHyphen(key string) bool {
	return strings.HasSuffix(key, "ZipCode") || strings.HasSuffix(key, "PhoneNumber")
}

// checkField applies §1-11's common checks to one value: required, max digits (on the raw
// value), min digits, attribute, code master. It returns the normalised value and the first
// message, if any.
func (c *Catalogue) checkField(f Field, v string) (string, string) {
	if v == "" {
		if f.Required {
			return "", c.msg("required", f.Label)
		}
		return "", ""
	}
	n := utf8.RuneCountInString(v)
	if f.Max != nil && n > *f.Max {
		return v, c.msg("maxDigits", f.Label, strconv.Itoa(*f.Max))
	}
	if stripsHyphen(f.Key) {
		v = strings.ReplaceAll(v, "-", "")
		n = utf8.RuneCountInString(v)
	}
	if f.Min != nil && n < *f.Min {
		return v, c.msg("minDigits", f.Label, strconv.Itoa(*f.Min))
	}
	if !c.attrOK(f, v) {
		if f.Attr == "URL" {
			return v, c.msg("url", f.Label)
		}
		return v, c.msg("attribute", f.Label, f.Attr)
	}
	if f.CodeID != "" {
		for _, part := range strings.Split(v, ",") {
			if !c.HasCode(f.CodeID, part) {
				return v, c.msg("notInMaster", f.Label)
			}
		}
	}
	return v, ""
}

func (c *Catalogue) attrOK(f Field, v string) bool {
	multi := f.Multi != nil
	switch f.Attr {
	case "半角数字", "数値":
		if f.Decimal != nil {
			re := regexp.MustCompile(`^[0-9]{1,` + strconv.Itoa(f.Decimal[0]) + `}(\.[0-9]{1,` + strconv.Itoa(f.Decimal[1]) + `})?$`)
			return re.MatchString(v)
		}
		if multi {
			return reDigitsCS.MatchString(v)
		}
		return reDigits.MatchString(v)
	case "半角英数", "半角英字", "半角文字":
		for _, r := range v {
			if r < 0x21 || r > 0x7e {
				return false
			}
		}
		return true
	case "日付":
		return validDate(v)
	case "全角カナ":
		for _, r := range v {
			if !(unicode.In(r, unicode.Katakana) || r == 'ー' || r == '・' || r == ' ' || r == '　' ||
				(r >= '０' && r <= '９') || (r >= 'Ａ' && r <= 'ｚ') || (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z')) {
				return false
			}
		}
		return true
	case "URL":
		return urlListOK(v)
	}
	return true // 全角/半角: any text
}

// validDate accepts YYYYMMDD or YYYYMM (§1-13).
func validDate(v string) bool {
	switch len(v) {
	case 8:
		_, err := time.Parse("20060102", v)
		return err == nil
	case 6:
		_, err := time.Parse("200601", v)
		return err == nil
	}
	return false
}

// urlListOK: every comma-separated URL starts with http:// or https:// (§1-15).
func urlListOK(v string) bool {
	for _, u := range strings.Split(v, ",") {
		l := strings.ToLower(u)
		if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
			return false
		}
	}
	return true
}

// endMessage picks the 公開終了日 wording each API's table uses (で or を, NOTES.md A-12).
func endMessage(apiID string) string {
	switch apiID {
	case "STORE_UPDATE", "FREEBIE_CREATE", "FREEBIE_UPDATE", "FREEBIE_IMPORT_CREATE", "FREEBIE_IMPORT_UPDATE", "STORE_IMPORT_UPDATE":
		return "endBeforeStartWo"
	}
	return "endBeforeStartDe"
}

// janFromCode returns the JAN a JAN0 code carries: JAN0 + "0"+13 digits or "000000"+8.
func janFromCode(code string) (string, bool) {
	rest := strings.TrimPrefix(code, "JAN0")
	if len(rest) != 14 || !reDigits.MatchString(rest) {
		return "", false
	}
	if strings.HasPrefix(rest, "000000") {
		return rest[6:], true
	}
	if rest[0] == '0' {
		return rest[1:], true
	}
	return "", false
}
