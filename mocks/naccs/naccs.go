package naccs

import (
	"fmt"
	"regexp"
	"sort"
	"time"
	"unicode"
)

// The simulated NACCS: it checks a sent form item by item as NACCS's single-item checks do
// (S codes), then applies the business to its registries (E codes when a record does not
// exist, R codes when it is not in a state the business allows), and returns the 処理結果
// and the 出力情報. Codes and texts follow the pattern of NACCS's 処理結果コード tables
// (e.g. 「S0001 … が入力されていない。」); their numbering is the mock's (NOTES.md).

// resultOK is the 処理結果コード of a normal end (正常終了).
const resultOK = "00000-0000-0000"

// naccsUsable are the half-width characters an "an" item accepts.
var naccsUsable = regexp.MustCompile(`^[A-Za-z0-9 \-./,()'&+:]+$`)

var digits = regexp.MustCompile(`^[0-9]+$`)

// resultErr builds one error. code is the NACCS-style code, f the item it is about.
func resultErr(code string, f *FieldDef, content, action string) ResultError {
	return ResultError{
		ResultCode: code + "-" + f.Abbr + "-0000", Code: code, Field: f.Name, Item: f.Item, Abbreviation: f.Abbr,
		Content: content, Action: action,
	}
}

func errMissing(f *FieldDef) ResultError {
	return resultErr("S0001", f, f.Item+"が入力されていない。", f.Item+"を入力する。")
}

func errCharacters(f *FieldDef) ResultError {
	action := "NACCS使用可能文字を入力する。(EDI仕様書 「3.電文方式と構造」参照)"
	if f.Type == typeN || f.Type == typeDate {
		action = "数字を入力する。"
	}
	return resultErr("S0002", f, f.Item+"に使用可能でない文字が入力されている。", action)
}

func errFormat(f *FieldDef) ResultError {
	return resultErr("S0003", f, "入力された"+f.Item+"の形式が妥当でない。", f.Item+"を確認して再入力する。")
}

func errOutOfRange(f *FieldDef) ResultError {
	return resultErr("S0004", f, "入力された"+f.Item+"が規定外である。", "適切な"+f.Item+"を入力する。")
}

func errNotRegistered(f *FieldDef) ResultError {
	return resultErr("E0002", f, "入力された"+f.Item+"はシステムに登録されていない。", f.Item+"を確認して再入力する。")
}

func errNoData(f *FieldDef) ResultError {
	return resultErr("E0010", f, "入力された"+f.Item+"に該当する情報が存在しない。", f.Item+"を確認して再入力する。")
}

func errWrongState(f *FieldDef) ResultError {
	return resultErr("R0001", f, "入力された"+f.Item+"に係る情報は、当該業務を行うことができる状態でない。", f.Item+"を確認して再入力する。")
}

func errPeriod(f *FieldDef) ResultError {
	return resultErr("R0002", f, "照会期間開始年月日が照会期間終了年月日より後である。", "照会期間を訂正して再入力する。")
}

// checkItems is NACCS's single-item check of a sent form: every error, in item order.
func checkItems(b *Business, fields map[string]string) []ResultError {
	var out []ResultError
	for _, f := range b.Fields() {
		v := fields[f.Name]
		if v == "" {
			if b.IsRequired(f.Name) {
				out = append(out, errMissing(f))
			}
			continue
		}
		if e, bad := checkItem(f, v); bad {
			out = append(out, e)
		}
	}
	return out
}

func checkItem(f *FieldDef, v string) (ResultError, bool) {
	switch f.Type {
	case typeAN:
		if !naccsUsable.MatchString(v) {
			return errCharacters(f), true
		}
	case typeN, typeDate:
		if !digits.MatchString(v) {
			return errCharacters(f), true
		}
	case typeText:
		for _, r := range v {
			if unicode.IsControl(r) {
				return errCharacters(f), true
			}
		}
	case typeCode:
		for _, allowed := range f.Values {
			if v == allowed {
				return ResultError{}, false
			}
		}
		return errOutOfRange(f), true
	}
	if f.Length > 0 && len([]rune(v)) != f.Length || f.pattern != nil && !f.pattern.MatchString(v) {
		return errFormat(f), true
	}
	if f.Type == typeDate {
		if _, err := time.Parse("20060102", v); err != nil {
			return errFormat(f), true
		}
	}
	return ResultError{}, false
}

// processLocked runs a sent form through NACCS: checks, then the business's effect.
func (s *store) processLocked(b *Business, sd *Send) (ProcessingResult, []OutputInfo) {
	result := ProcessingResult{OutputCode: resultOutputCode(sd.BusinessCode), Name: "処理結果通知", ResultCode: resultOK, Errors: []ResultError{}}
	errs := checkItems(b, sd.Fields)
	var outputs []OutputInfo
	if len(errs) == 0 {
		var out *OutputInfo
		out, errs = s.applyEffectLocked(b, sd.Fields, sd.Due)
		if out != nil && len(errs) == 0 {
			out.OutputCode, out.Name = infoOutputCode(sd.BusinessCode), b.Output.Name
			outputs = append(outputs, *out)
		}
	}
	if len(errs) > 0 {
		result.Errors, result.ResultCode = errs, errs[0].ResultCode
		outputs = nil
	}
	if outputs == nil {
		outputs = []OutputInfo{}
	}
	return result, outputs
}

// applyEffectLocked applies the business to NACCS's registries and builds its output.
func (s *store) applyEffectLocked(b *Business, fields map[string]string, at time.Time) (*OutputInfo, []ResultError) {
	db, e := &s.state.Naccs, b.Effect
	keyDef := b.byName[e.Key]
	key := fields[e.Key]
	today := naccsDate(at)
	for _, req := range e.Requires {
		if db.find(req.Registry, fields[req.Field]) == nil {
			return nil, []ResultError{errNotRegistered(b.byName[req.Field])}
		}
	}
	switch e.Op {
	case "register":
		var rec *RegistryRecord
		if key != "" {
			rec = db.find(e.Registry, key)
		}
		switch {
		case e.Assign != nil && key != "" && rec == nil: // a correction of nothing
			return nil, []ResultError{errNotRegistered(keyDef)}
		case e.Assign != nil && key != "" && !hasStatus(rec, e.RequireStatus):
			return nil, []ResultError{errWrongState(keyDef)}
		case key == "" && e.Assign == nil:
			return nil, []ResultError{errMissing(keyDef)}
		case key == "":
			key = db.next(e.Registry, e.Assign)
		}
		rec = &RegistryRecord{Key: key, Status: e.SetStatus, RegisteredDate: today, Fields: copyFields(fields)}
		rec.Fields[e.Key] = key
		db.put(e.Registry, rec)
		return s.recordOutput(b, rec), nil
	case "transition", "delete", "callup", "inquiry":
		rec := db.find(e.Registry, key)
		if rec == nil {
			return nil, []ResultError{errNotRegistered(keyDef)}
		}
		if !hasStatus(rec, e.RequireStatus) {
			return nil, []ResultError{errWrongState(keyDef)}
		}
		return s.readEffectLocked(b, rec, fields, today), nil
	case "amend":
		base := db.find(e.Base, key)
		if base == nil {
			return nil, []ResultError{errNotRegistered(keyDef)}
		}
		if !hasStatus(base, e.RequireStatus) {
			return nil, []ResultError{errWrongState(keyDef)}
		}
		rec := &RegistryRecord{Key: key, Status: "registered", RegisteredDate: today, Fields: copyFields(fields)}
		db.put(e.Registry, rec)
		return s.recordOutput(b, rec), nil
	case "applyAmendment":
		amendment, base := db.find(e.Registry, key), db.find(e.Base, key)
		if amendment == nil || base == nil {
			return nil, []ResultError{errNotRegistered(keyDef)}
		}
		for name, v := range amendment.Fields {
			if name != "amendmentReason" && name != e.Key {
				base.Fields[name] = v
			}
		}
		db.remove(e.Registry, key)
		return s.recordOutput(b, base), nil
	case "list":
		return s.listLocked(b, fields)
	}
	return nil, nil
}

// readEffectLocked is the effect of a business on an existing record.
func (s *store) readEffectLocked(b *Business, rec *RegistryRecord, fields map[string]string, today string) *OutputInfo {
	e := b.Effect
	switch e.Op {
	case "transition":
		if e.Merge {
			for name, v := range fields {
				rec.Fields[name] = v
			}
		}
		if e.Stamp != "" {
			rec.Fields[e.Stamp] = today
		}
		if e.SetStatus != "" {
			rec.Status = e.SetStatus
		}
	case "delete":
		s.state.Naccs.remove(e.Registry, rec.Key)
	case "callup":
		target, _ := s.cat.Lookup(e.Fills)
		code := target.Code
		out := &OutputInfo{TargetBusinessCode: &code, Fields: map[string]string{}}
		for _, f := range target.Fields() {
			if v := recordValue(rec, f.Name); v != "" {
				out.Fields[f.Name] = v
			}
		}
		return out
	}
	return s.recordOutput(b, rec)
}

// recordOutput lists the business's output fields of a record (every field when unlisted).
func (s *store) recordOutput(b *Business, rec *RegistryRecord) *OutputInfo {
	out := &OutputInfo{Fields: map[string]string{}}
	names := b.Output.Fields
	if len(names) == 0 {
		for name := range rec.Fields {
			names = append(names, name)
		}
		names = append(names, "status", "registeredDate")
	}
	for _, name := range names {
		if v := recordValue(rec, name); v != "" {
			out.Fields[name] = v
		}
	}
	return out
}

// listLocked is a list inquiry: the registry's records whose Key field has the form's value,
// registered within the optional period.
func (s *store) listLocked(b *Business, fields map[string]string) (*OutputInfo, []ResultError) {
	e := b.Effect
	from, to := fields["inquiryDateFrom"], fields["inquiryDateTo"]
	if from != "" && to != "" && from > to {
		return nil, []ResultError{errPeriod(b.byName["inquiryDateFrom"])}
	}
	out := &OutputInfo{Fields: map[string]string{e.Key: fields[e.Key]}}
	for _, rec := range s.state.Naccs.Registries[e.Registry] {
		if rec.Fields[e.Key] != fields[e.Key] || from != "" && rec.RegisteredDate < from || to != "" && rec.RegisteredDate > to {
			continue
		}
		out.Rows = append(out.Rows, s.recordOutput(b, rec).Fields)
	}
	if len(out.Rows) == 0 {
		return nil, []ResultError{errNoData(b.byName[e.Key])}
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return out.Rows[i]["registeredDate"] < out.Rows[j]["registeredDate"] })
	out.Fields["count"] = fmt.Sprint(len(out.Rows))
	return out, nil
}

func recordValue(rec *RegistryRecord, name string) string {
	switch name {
	case "status":
		return rec.Status
	case "registeredDate":
		return rec.RegisteredDate
	}
	return rec.Fields[name]
}

func hasStatus(rec *RegistryRecord, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, st := range allowed {
		if rec.Status == st {
			return true
		}
	}
	return false
}

func copyFields(fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	return out
}

func (db *NaccsDB) find(registry, key string) *RegistryRecord {
	if key == "" {
		return nil
	}
	for _, rec := range db.Registries[registry] {
		if rec.Key == key {
			return rec
		}
	}
	return nil
}

// put stores rec, replacing the record with the same key.
func (db *NaccsDB) put(registry string, rec *RegistryRecord) {
	list := db.Registries[registry]
	for i, old := range list {
		if old.Key == rec.Key {
			list[i] = rec
			return
		}
	}
	db.Registries[registry] = append(list, rec)
}

func (db *NaccsDB) remove(registry, key string) {
	list := db.Registries[registry]
	for i, rec := range list {
		if rec.Key == key {
			db.Registries[registry] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// next numbers a new record: the registry's counter, plus one, after the prefix.
func (db *NaccsDB) next(registry string, a *Assign) string {
	db.Counters[registry]++
	return a.Prefix + fmt.Sprintf("%0*d", a.Digits, db.Counters[registry])
}
