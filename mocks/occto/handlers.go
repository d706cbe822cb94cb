package occto

import (
	"net/http"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// answer is what an API hands back on success: one XML file, which the wrapper zips and
// encodes.
type answer struct {
	entry    string
	content  []byte
	modified time.Time
}

// apiFunc performs one API for an authenticated caller.
type apiFunc func(r *http.Request, acc account, f form) (answer, *apiError)

// api wraps an API in what every call shares, in the upstream's order: read the form,
// authenticate and count the call (1001/1002/1003, then 2001), perform, then answer
// `resultcode: 0000` with the Base64 ZIP, or the failure's code with the error XML.
func (m *Mock) api(perform apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := readForm(r)
		if err != nil {
			m.fail(w, r, errBadParam("form"))
			return
		}
		acc, authErr, note := m.store.authenticate(f.get("userid"), f.get("password"))
		core.Annotate(r, "auth", note)
		if authErr != nil {
			m.fail(w, r, authErr)
			return
		}
		ans, apiErr := perform(r, acc, f)
		if apiErr != nil {
			m.fail(w, r, apiErr)
			return
		}
		body, packErr := packFile(ans.entry, ans.content, ans.modified)
		if packErr != nil {
			m.env.Logger.Error("packing the answer", "err", packErr)
			m.fail(w, r, &errSystem)
			return
		}
		core.Annotate(r, "resultcode", codeOK)
		core.Annotate(r, "entry", ans.entry)
		writeResult(w, codeOK, http.StatusOK, contentTypeBase64, body)
	}
}

// fail answers e and notes its code in the journal.
func (m *Mock) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	core.Annotate(r, "resultcode", e.code)
	writeError(w, e)
}

// register is BA13B101: the file is received and numbered; its checks' outcome is read
// with BA13B006 and BA13B007.
func (m *Mock) register(r *http.Request, acc account, f form) (answer, *apiError) {
	if len(f.file) == 0 {
		return answer{}, errBadParam("file")
	}
	if len([]rune(f.fileName)) > 100 {
		return answer{}, errBadParam("filename")
	}
	file := m.store.submit(acc, f.fileName, f.file)
	core.Annotate(r, "filereceptionno", file.ReceptionNo)
	if len(file.Errors) > 0 {
		core.Annotate(r, "findings", file.Errors[0].Code+" "+file.Errors[0].Item)
	}
	return answer{entrySubmitResult(file), submitResultXML(file), file.SubmittedAt}, nil
}

// planList is BA13B103.
func (m *Mock) planList(_ *http.Request, acc account, f form) (answer, *apiError) {
	from, err := fromDate(f)
	if err != nil {
		return answer{}, err
	}
	division := f.get("plandivision")
	if division != "" && divisionNames[division] == "" {
		return answer{}, errBadParam("plandivision")
	}
	plans := m.store.planList(acc.company, from, division)
	return answer{entryPlanList(), planListXML(plans), m.env.Clock.Now()}, nil
}

// planFile is BA13B102: one plan by the two keys BA13B103 gave.
func (m *Mock) planFile(r *http.Request, acc account, f form) (answer, *apiError) {
	division, no := f.get("plandivision"), f.get("occtoreceptionno")
	switch {
	case divisionNames[division] == "":
		return answer{}, errBadParam("plandivision")
	case !receptionNoPattern.MatchString(no):
		return answer{}, errBadParam("occtoreceptionno")
	}
	p, err := m.store.plan(acc.company, division, no)
	if err != nil {
		return answer{}, err
	}
	core.Annotate(r, "plan", division+"/"+no)
	return answer{entryPlan(p), []byte(p.XML), p.UpdatedAt}, nil
}

// fileList is BA13B006.
func (m *Mock) fileList(_ *http.Request, acc account, f form) (answer, *apiError) {
	from, err := fromDate(f)
	if err != nil {
		return answer{}, err
	}
	return answer{entryFileList(), fileListXML(m.store.fileList(acc.company, from)), m.env.Clock.Now()}, nil
}

// receipt is BA13B007: the 受信確認メッセージ of a processed file.
func (m *Mock) receipt(r *http.Request, acc account, f form) (answer, *apiError) {
	no := f.get("filereceptionno")
	if !receptionNoPattern.MatchString(no) {
		return answer{}, errBadParam("filereceptionno")
	}
	file, err := m.store.file(acc.company, no)
	if err != nil {
		return answer{}, err
	}
	core.Annotate(r, "status", statusNames[file.Status])
	return answer{entryReceipt(file), receiptXML(file), file.Due}, nil
}
