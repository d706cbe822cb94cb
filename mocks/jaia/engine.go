package jaia

import (
	"fmt"
	"strings"
)

// isCreate tells create-like actions (single and import) from update-like ones.
func isCreate(action string) bool { return action == "create" || action == "import_create" }

// immutable are the update keys 「本項目は更新対象外」: the stored value wins.
func immutable(m *Master, key string) bool {
	switch key {
	case m.Key, "jaiaCompanyCode":
		return true
	}
	return false
}

// prepare checks one dataset (a single call's or an import row's) against the catalogue and
// the master's own rules and returns the record to store. 401 and 404 come back as err; input
// errors (400) as msgs. The caller holds s.mu.
func (s *store) prepare(def APIDef, m *Master, c *caller, ds map[string]string) (rec record, msgs []string, err *apiError) {
	cat := s.cat
	t := s.tables[m.Name]
	create := isCreate(def.Action)
	fields := m.Fields
	var existing record
	if !create {
		fields = m.UpdateFields
		key := ds[m.Key]
		if key == "" {
			return nil, []string{cat.msg("required", m.keyLabel())}, nil
		}
		existing = t.get(key)
		if existing == nil || existing.deleted() {
			if def.Action == "update" {
				return nil, nil, fail(404, cat.msg("notInMaster", m.keyLabel()))
			}
			return nil, []string{cat.msg("notInMaster", m.keyLabel())}, nil
		}
		owner := existing["jaia_company_code"]
		if !c.ownsCompany(owner) {
			return nil, nil, fail(401, cat.msg("auth"))
		}
	}
	jaiaOnly := map[string]bool{}
	if m.Name == "company" && !create && !c.isJAIA() {
		// COMPANY_UPDATE checks 4, 5, 7: only JAIA users may send these (NOTES.md A-19).
		for _, k := range []string{"jaiaMembershipClassification", "companyCategory", "cooperationUsageClassification"} {
			if ds[k] != "" {
				return nil, nil, fail(401, cat.msg("auth"))
			}
			jaiaOnly[k] = true
		}
	}
	if create {
		rec = record{}
	} else {
		rec = existing.clone()
	}
	for _, f := range fields {
		col := snake(f.Key)
		if !create && immutable(m, f.Key) {
			continue
		}
		if jaiaOnly[f.Key] {
			continue
		}
		if f.Key == "companyUnits" && m.Name == "company" {
			f.Required = strings.Contains(","+ds["companyCategory"]+",", ",01,")
		}
		v, msg := cat.checkField(f, ds[f.Key])
		if msg != "" {
			msgs = append(msgs, msg)
			continue
		}
		if f.Key == "userId" {
			continue
		}
		if v == "" {
			delete(rec, col)
		} else {
			rec[col] = v
		}
	}
	if e := s.masterRules(def, m, c, ds, rec, existing, &msgs); e != nil {
		return nil, nil, e
	}
	if len(msgs) > 0 {
		return nil, msgs, nil
	}
	now := s.clock.Now().Format(auditLayout)
	if create {
		rec["create_user"], rec["create_date"], rec["create_pgid"] = c.userID, now, def.APIID
	}
	rec["update_user"], rec["update_date"], rec["update_pgid"] = c.userID, now, def.APIID
	return rec, nil, nil
}

// masterRules are the 固有入力チェック of each master beyond §1-11.
func (s *store) masterRules(def APIDef, m *Master, c *caller, ds map[string]string, rec, existing record, msgs *[]string) *apiError {
	cat := s.cat
	add := func(id string, args ...string) { *msgs = append(*msgs, cat.msg(id, args...)) }
	create := isCreate(def.Action)
	company := rec["jaia_company_code"]
	if create && m.Name != "company" && company != "" {
		if !c.ownsCompany(company) {
			return fail(401, cat.msg("auth"))
		}
		if comp := s.tables["company"].get(company); comp == nil || comp.deleted() {
			add("notInMaster", "JAIA 事業者コード")
		}
	}
	switch m.Name {
	case "company":
		if create {
			if code := rec["jaia_company_code"]; code != "" && s.tables["company"].get(code) != nil {
				add("duplicate", "JAIA 事業者コード")
			}
		}
		if num := rec["corporate_my_number"]; num != "" {
			for _, r := range s.tables["company"].rows {
				if r["corporate_my_number"] == num && r["jaia_company_code"] != rec["jaia_company_code"] {
					add("duplicate", "法人マイナンバー")
					break
				}
			}
		}
	case "user":
		if comp := s.tables["company"].get(company); comp != nil && rec["company_category"] != "" {
			for _, cc := range splitList(rec["company_category"]) {
				if !contains(splitList(comp["company_category"]), cc) {
					add("userCategory")
					break
				}
			}
		}
		if mail := rec["user_mail"]; mail != "" {
			if def.Action == "import_update" && existing != nil && existing["user_mail"] != mail {
				add("mailImmutable")
			} else {
				for _, r := range s.tables["user"].rows {
					if r["user_mail"] == mail && r["user_id"] != rec["user_id"] {
						add("mailRegistered")
						break
					}
				}
			}
		}
	default:
		s.codeRules(def, m, rec, existing, add)
		s.publishRules(rec, add)
	}
	return nil
}

// codeRules: JAIA code characters, prefix, duplicates (§1-16), dates, freebie JAN (§3.8).
func (s *store) codeRules(def APIDef, m *Master, rec, existing record, add func(string, ...string)) {
	create := isCreate(def.Action)
	code := rec["jaia_code"]
	if create && code != "" {
		jan := m.Name == "freebie" && strings.HasPrefix(code, "JAN0")
		switch {
		case !reJAIACode.MatchString(code):
			add("jaiaCodeChars")
		case !jan && !strings.HasPrefix(code, rec["jaia_company_code"]):
			add("jaiaCodePrefix")
		}
		if s.tables[m.Name].get(code) != nil {
			add("duplicate", "JAIA コード")
		}
	}
	start, end := rec["info_open_start_date"], rec["info_open_end_date"]
	if start != "" && end != "" && end < start { // equal dates are allowed
		add(endMessage(def.APIID))
	}
	if existing != nil && start != "" && existing["info_open_start_date"] != start &&
		existing["info_open_start_date"] < s.clock.Now().Format("20060102") {
		if def.Action == "import_update" {
			add("startMismatch")
		} else {
			add("startLocked")
		}
	}
	if m.Name == "freebie" && code != "" {
		janCode := rec["jan_code"]
		if strings.HasPrefix(code, "JAN0") {
			want, ok := janFromCode(code)
			switch {
			case !ok:
				add("janPrefix")
			case janCode != "" && janCode != want:
				add("janMismatch")
			}
		} else if l := len(janCode); (l == 8 || l == 13) && reDigits.MatchString(janCode) {
			add("janNotAllowed")
		}
	}
}

// publishRules are §1-12's correlation checks and the company codes of setting 03.
func (s *store) publishRules(rec record, add func(string, ...string)) {
	setting, cats, codes := rec["publish_setting"], rec["publish_company_category"], rec["publish_company_code"]
	if setting == "" {
		return
	}
	conflict := (setting != "02" && cats != "") || (setting != "03" && codes != "")
	switch {
	case setting == "02" && cats == "":
		add("publishCategoryRequired")
	case setting == "03" && codes == "":
		add("publishCodeRequired")
	}
	if conflict {
		add("publishConflict")
	}
	if setting == "03" {
		for _, code := range splitList(codes) {
			if r := s.tables["company"].get(code); r == nil || r.deleted() {
				add("notInMaster", "公開先事業者コード")
				break
			}
		}
	}
}

// nextUserID numbers a new user: the company code, then a serial, 10 characters.
func (s *store) nextUserID(company string) string {
	width := 10 - len(company)
	max := 0
	for _, r := range s.tables["user"].rows {
		id := r["user_id"]
		if strings.HasPrefix(id, company) && len(id) == 10 {
			var n int
			if _, err := fmt.Sscanf(id[len(company):], "%d", &n); err == nil && n > max {
				max = n
			}
		}
	}
	return fmt.Sprintf("%s%0*d", company, width, max+1)
}

// visible is §1-12's publish visibility (owner, JAIA, 01/02/03; NOTES.md A-32).
func visible(m *Master, c *caller, r record) bool {
	if !m.publishes() || c.ownsCompany(r["jaia_company_code"]) {
		return true
	}
	switch r["publish_setting"] {
	case "01":
		return true
	case "02":
		for _, cat := range splitList(r["publish_company_category"]) {
			if contains(c.categories, cat) {
				return true
			}
		}
	case "03":
		return contains(splitList(r["publish_company_code"]), c.company)
	}
	return false
}
