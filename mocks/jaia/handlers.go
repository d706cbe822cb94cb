package jaia

import (
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// handle is the one handler every operation goes through; def says what it is.
func (m *Mock) handle(def APIDef) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var err *apiError
		switch def.Action {
		case "login":
			err = m.login(w, r)
		case "logout":
			err = m.logout(w, r)
		case "codes":
			err = m.codes(w, r, def)
		case "create", "update":
			err = m.write(w, r, def)
		case "delete":
			err = m.remove(w, r, def)
		case "select":
			err = m.search(w, r, def)
		case "export_deleted":
			err = m.exportDeleted(w, r, def)
		case "import_create", "import_update":
			err = m.importCSV(w, r, def)
		default:
			err = fail(500, m.cat.msg("unexpected"))
		}
		if err != nil {
			writeError(w, r, err)
		}
	}
}

// jsonObject is the request's JSON body as an object; an empty body is {}.
func (m *Mock) jsonObject(r *http.Request) (map[string]any, *apiError) {
	if len(core.Body(r)) == 0 {
		return map[string]any{}, nil
	}
	v, err := core.JSONBody(r)
	obj, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, fail(500, m.cat.msg("unexpected")) // 異常終了: no row of the manual fits better
	}
	return obj, nil
}

// begin runs the common part of every API but login (§1-4, §1-5, §1-19; order A-16):
// userId empty → 401; apiId/appId empty (with extra required messages) → 400; token → 401;
// apiId mismatch → 400; appId not EXTERNAL → 400; rate limit → 429; permission → 401.
func (m *Mock) begin(r *http.Request, def APIDef, body map[string]any, extra []string) (*caller, *apiError) {
	cat := m.cat
	apiID, userID, appID := str(body["apiId"]), str(body["userId"]), str(body["appId"])
	if userID == "" {
		return nil, fail(401, cat.msg("auth"))
	}
	var msgs []string
	if apiID == "" {
		msgs = append(msgs, cat.msg("required", "API ID"))
	}
	if appID == "" {
		if def.Action == "export_deleted" { // the export table answers an empty appId with 500
			return nil, fail(500, cat.msg("required", "APP ID"))
		}
		msgs = append(msgs, cat.msg("required", "APP ID"))
	}
	if len(msgs) > 0 {
		return nil, fail(400, append(msgs, extra...)...)
	}
	c, err := m.store.authenticate(userID, hdr(r))
	if err != nil {
		return nil, err
	}
	if apiID != def.APIID {
		return nil, fail(400, cat.msg("apiIdMismatch"))
	}
	if appID != externalApp {
		return nil, fail(400, cat.msg("required", "APP ID"))
	}
	if !m.store.allow(userID) {
		return nil, fail(429, cat.msg("rateLimited"))
	}
	if !permitted(c, def) {
		return nil, fail(401, cat.msg("auth"))
	}
	return c, nil
}

// dataset turns the request's dataset object into strings (numbers as written, null as "").
func dataset(v any) (map[string]string, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	out := make(map[string]string, len(obj))
	for k, x := range obj {
		out[k] = str(x)
	}
	return out, true
}

// login is AUTH_LOGIN (POST /auth).
func (m *Mock) login(w http.ResponseWriter, r *http.Request) *apiError {
	cat := m.cat
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	var msgs []string
	if str(body["appId"]) == "" {
		msgs = append(msgs, cat.msg("required", "APP ID"))
	}
	forty, fifty := 40, 50
	mail, mailMsg := cat.checkField(Field{Key: "userMail", Label: loginLabel, Required: true, Attr: "半角英数", Max: &forty}, str(body["userMail"]))
	pass, passMsg := cat.checkField(Field{Key: "password", Label: passLabel, Required: true, Attr: "半角英数", Max: &fifty}, str(body["password"]))
	for _, s := range []string{mailMsg, passMsg} {
		if s != "" {
			msgs = append(msgs, s)
		}
	}
	if len(msgs) == 0 && str(body["appId"]) != externalApp {
		msgs = append(msgs, cat.msg("required", "APP ID"))
	}
	if len(msgs) > 0 {
		return fail(400, msgs...)
	}
	meta, err := m.store.login(mail, pass)
	if err != nil {
		return err
	}
	writeOK(w, r, reply{metadata: meta, hasMetadata: true})
	return nil
}

// logout is AUTH_LOGOUT (DELETE /auth): the token must still be valid.
func (m *Mock) logout(w http.ResponseWriter, r *http.Request) *apiError {
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	userID := str(body["userId"])
	if userID == "" {
		return fail(401, m.cat.msg("auth"))
	}
	if app := str(body["appId"]); app == "" || app != externalApp {
		return fail(400, m.cat.msg("required", "APP ID"))
	}
	if _, err := m.store.authenticate(userID, hdr(r)); err != nil {
		return err
	}
	m.store.logout(userID)
	writeOK(w, r, reply{metadata: map[string]any{}, hasMetadata: true})
	return nil
}

// codes is CODES_SELECT (POST /codes): datasetList [{codeId, codeKey}].
func (m *Mock) codes(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	cat := m.cat
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	if _, err := m.begin(r, def, body, nil); err != nil {
		return err
	}
	var list []any
	switch v := body["datasetList"].(type) {
	case []any:
		list = v
	}
	if list == nil {
		switch v := body["dataset"].(type) {
		case []any:
			list = v
		case map[string]any:
			list = []any{v}
		}
	}
	if len(list) == 0 {
		return fail(400, cat.msg("required", "コード ID"))
	}
	rows := []map[string]any{}
	for _, raw := range list {
		el, _ := raw.(map[string]any)
		id, key := str(el["codeId"]), str(el["codeKey"])
		if id == "" {
			return fail(400, cat.msg("required", "コード ID"))
		}
		code, ok := cat.Codes[id]
		if !ok {
			return fail(400, cat.msg("notInMaster", "コード ID")) // 400, not the sample's 403
		}
		for i, v := range code.Values {
			if key != "" && v[0] != key {
				continue
			}
			rows = append(rows, map[string]any{
				"codeId": id, "codeName": code.CodeName, "codeKey": v[0], "codeValue1": v[1],
				"codeValue2": nil, "codeValue3": nil, "codeValue4": nil, "codeValue5": nil, "sort": i + 1,
			})
		}
	}
	writeOK(w, r, reply{metadataList: rows})
	return nil
}

// write is every master's single create and update.
func (m *Mock) write(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	master := m.cat.Master(def.Master)
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	c, err := m.begin(r, def, body, nil)
	if err != nil {
		return err
	}
	ds, ok := dataset(body["dataset"])
	if !ok {
		ds = map[string]string{}
	}
	s := m.store
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, msgs, err := s.prepare(def, master, c, ds)
	if err != nil {
		return err
	}
	if len(msgs) > 0 {
		return fail(400, msgs...)
	}
	rep := reply{hasMetadata: true}
	if master.Name == "user" && def.Action == "create" {
		rec["user_id"] = s.nextUserID(rec["jaia_company_code"])
		rec["login_error_count"] = "0"
		rep.metadata = map[string]any{"userId": rec["user_id"]}
	}
	s.tables[master.Name].put(master.keyColumn(), rec)
	writeOK(w, r, rep)
	return nil
}

// remove is every master's logical delete (§1-7).
func (m *Mock) remove(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	master := m.cat.Master(def.Master)
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	c, err := m.begin(r, def, body, nil)
	if err != nil {
		return err
	}
	ds, ok := dataset(body["dataset"])
	if !ok {
		return fail(500, m.cat.msg("unexpected")) // STORE_DELETE check 4
	}
	key := ds[master.Key]
	if key == "" {
		return fail(400, m.cat.msg("required", master.keyLabel()))
	}
	s := m.store
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.tables[master.Name].get(key)
	if rec == nil || rec.deleted() {
		return fail(404, m.cat.msg("notInMaster", master.keyLabel()))
	}
	if !c.ownsCompany(rec["jaia_company_code"]) {
		return fail(401, m.cat.msg("auth"))
	}
	now := s.clock.Now().Format(auditLayout)
	rec["update_user"], rec["update_date"], rec["update_pgid"] = c.userID, now, def.APIID
	rec["delete_user"], rec["delete_date"], rec["delete_pgid"] = c.userID, now, def.APIID
	if master.Name == "user" {
		delete(s.sessions, key)
	}
	writeOK(w, r, reply{hasMetadata: true})
	return nil
}

// search is every master's select API (§1-8).
func (m *Mock) search(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	master := m.cat.Master(def.Master)
	body, err := m.jsonObject(r)
	if err != nil {
		return err
	}
	var required []string
	if l, _ := body["searchConditions"].([]any); len(l) == 0 {
		required = append(required, m.cat.msg("required", "検索条件"))
	}
	if l, _ := body["datasetList"].([]any); len(l) == 0 {
		required = append(required, m.cat.msg("required", "取得項目"))
	}
	c, err := m.begin(r, def, body, required)
	if err != nil {
		return err
	}
	q, msgs := m.cat.parseQuery(master, body, false)
	if len(msgs) > 0 {
		return fail(400, msgs...)
	}
	s := m.store
	s.mu.Lock()
	today := s.clock.Now().Format("20060102")
	var hits []record
	for _, rec := range s.tables[master.Name].rows {
		if !rec.deleted() && canSee(master, c, rec) && q.matches(rec, master, today) {
			hits = append(hits, rec.clone())
		}
	}
	s.mu.Unlock()
	sortRows(hits, q, master.keyColumn())
	total := len(hits)
	rows := []map[string]string{}
	for i := q.page * q.limit; i < total && i < (q.page+1)*q.limit; i++ {
		row := map[string]string{}
		for _, col := range q.dataset {
			if v := render(col, hits[i][col.Name]); v != "" {
				row[col.Name] = v
			}
		}
		rows = append(rows, row)
	}
	writeOK(w, r, reply{total: &total, page: &q.page, metadataList: rows})
	return nil
}

// canSee: users see their company's users (JAIA all), companies are visible to everyone,
// the other masters follow §1-12.
func canSee(m *Master, c *caller, r record) bool {
	switch m.Name {
	case "company":
		return true
	case "user":
		return c.ownsCompany(r["jaia_company_code"])
	}
	return visible(m, c, r)
}
