package jaia

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/upmock/upmock/mocks/core"
)

const maxImportRows = 10000

// multipartParts reads the body (JSON) and file (CSV) parts (§1-9).
func multipartParts(r *http.Request) (map[string]any, []byte, bool) {
	body := map[string]any{}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return body, nil, false
	}
	mr := multipart.NewReader(bytes.NewReader(core.Body(r)), params["boundary"])
	var file []byte
	hasFile := false
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		raw, _ := io.ReadAll(p)
		switch p.FormName() {
		case "body":
			_ = json.Unmarshal(raw, &body)
			if body == nil {
				body = map[string]any{}
			}
		case "file":
			file, hasFile = raw, true
		}
	}
	return body, file, hasFile
}

// csvColumns are the import columns: the create/update dataset keys in table order.
func csvColumns(m *Master, action string) []string {
	fields := m.Fields
	if action == "import_update" {
		fields = m.UpdateFields
	}
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = f.Key
	}
	return cols
}

// importCSV is every master's import-create and import-update: all or nothing.
func (m *Mock) importCSV(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	cat := m.cat
	master := cat.Master(def.Master)
	body, file, hasFile := multipartParts(r)
	c, err := m.begin(r, def, body, nil)
	if err != nil {
		return err
	}
	if !hasFile {
		return fail(400, cat.msg("csvFormat"))
	}
	file = bytes.TrimPrefix(file, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(file) { // §1-2 文字コード：UTF-8; Shift_JIS is not read as U+FFFD
		return fail(400, cat.msg("csvFormat"))
	}
	rd := csv.NewReader(bytes.NewReader(file))
	records, perr := rd.ReadAll()
	want := csvColumns(master, def.Action)
	if perr != nil || len(records) < 2 || strings.Join(records[0], ",") != strings.Join(want, ",") {
		return fail(400, cat.msg("csvFormat"))
	}
	rows := records[1:]
	if len(rows) > maxImportRows {
		return fail(400, cat.msg("csvTooMany"))
	}
	s := m.store
	s.mu.Lock()
	defer s.mu.Unlock()
	dupKey, dupLabel := master.Key, master.keyLabel()
	if master.Name == "user" && def.Action == "import_create" {
		dupKey, dupLabel = "userMail", "利用者メールアドレス"
	}
	seen := map[string]bool{}
	counts := &importCounts{Total: len(rows)}
	var rowErrs []rowError
	prepared := make([]record, 0, len(rows))
	for i, cells := range rows {
		ds := make(map[string]string, len(want))
		for j, k := range want {
			ds[k] = cells[j]
		}
		var msgs []string
		if k := ds[dupKey]; k != "" {
			if seen[k] {
				second := dupLabel
				if second[0] < 0x80 { // the manual spaces Japanese from Latin: 「同一の JAIA コード」
					second = " " + second
				}
				msgs = append(msgs, cat.msg("fileDuplicate", dupLabel, second))
			}
			seen[k] = true
		}
		rec, more, err := s.prepare(def, master, c, ds)
		switch {
		case err != nil && err.status == http.StatusUnauthorized:
			// A row for a company the caller may not register (STORE_IMPORT_CREATE check 8)
			// is a file check like the others: a row error with its message, not a 401 that
			// would send a client to log in again.
			more = err.msgs
		case err != nil:
			return err
		}
		msgs = append(msgs, more...)
		if len(msgs) > 0 {
			counts.Error++
			for _, msg := range msgs {
				rowErrs = append(rowErrs, rowError{Row: i + 2, Message: msg}) // the header is row 1
			}
			continue
		}
		counts.Success++
		prepared = append(prepared, rec)
	}
	if counts.Error > 0 {
		return &apiError{status: 400, rows: rowErrs, counts: counts}
	}
	for _, rec := range prepared {
		if master.Name == "user" && def.Action == "import_create" {
			rec["user_id"] = s.nextUserID(rec["jaia_company_code"])
			rec["login_error_count"] = "0"
			counts.UserInfo = append(counts.UserInfo, userInfo{UserMail: rec["user_mail"], UserID: rec["user_id"]})
		}
		s.tables[master.Name].put(master.keyColumn(), rec)
	}
	writeOK(w, r, reply{metadata: counts, hasMetadata: true})
	return nil
}

// exportDeleted is every master's export of logically deleted rows as CSV (§1-10).
func (m *Mock) exportDeleted(w http.ResponseWriter, r *http.Request, def APIDef) *apiError {
	master := m.cat.Master(def.Master)
	body, err := m.jsonObject(r)
	if err != nil {
		return abnormalExportEnd(err)
	}
	c, err := m.begin(r, def, body, nil)
	if err != nil {
		return err
	}
	q, msgs := m.cat.parseQuery(master, body, true)
	if len(msgs) > 0 {
		return fail(400, msgs...)
	}
	s := m.store
	s.mu.Lock()
	today := s.clock.Now().Format("20060102")
	var hits []record
	for _, rec := range s.tables[master.Name].rows {
		if rec.deleted() && canSee(master, c, rec) && q.matches(rec, master, today) {
			hits = append(hits, rec.clone())
		}
	}
	s.mu.Unlock()
	sortRows(hits, q, master.keyColumn())
	var b strings.Builder
	if master.Name == "company" {
		b.WriteString("JAIA 事業者コード,廃止日時\r\n")
	} else {
		b.WriteString("JAIA 事業者,JAIA コード,廃止日時\r\n")
	}
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for _, rec := range hits {
		deleted := rec["delete_date"]
		if i := strings.IndexByte(deleted, '.'); i > 0 {
			deleted = deleted[:i] // yyyy/MM/dd HH:mm:ss, as the sample
		}
		cells := []string{quote(rec["jaia_company_code"])}
		if master.Name != "company" {
			cells = append(cells, quote(rec["jaia_code"]))
		}
		cells = append(cells, quote(deleted))
		b.WriteString(strings.Join(cells, ",") + "\r\n")
	}
	core.Annotate(r, "code", "200")
	w.Header().Set("Content-Type", "text/csv; charset=UTF-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ToLower(master.Prefix)+`_deleted.csv"`)
	w.WriteHeader(200)
	_, _ = io.WriteString(w, b.String())
	return nil
}
