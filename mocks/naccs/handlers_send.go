package naccs

import (
	"net/http"

	"github.com/upmock/upmock/mocks/core"
)

// handleSend is the seed's 「NACCS送信API」: 202 at once, NACCS's answer later.
func (m *Mock) handleSend(w http.ResponseWriter, r *http.Request) {
	var req SendRequest
	b, code, c, ok := m.begin(w, r, &req)
	if !ok {
		return
	}
	acc, err := m.store.send(c, b, code, params(r)["dealReportId"], req)
	if err != nil {
		m.fail(w, r, err)
		return
	}
	core.Annotate(r, "naccsSendId", acc.NaccsSendID)
	m.kick()
	writeJSON(w, http.StatusAccepted, jsonBody(acc))
}

// handleOutput is the seed's 「NACCS出力情報の取得API」 (step ⑤).
func (m *Mock) handleOutput(w http.ResponseWriter, r *http.Request) {
	b, _, c, ok := m.begin(w, r, nil)
	if !ok {
		return
	}
	out, err := m.store.output(c, b, params(r)["dealReportId"], r.URL.Query().Get("naccsSendId"))
	if err != nil {
		m.fail(w, r, err)
		return
	}
	core.Annotate(r, "naccsSendId", out.NaccsSendID)
	core.Annotate(r, "output", out.Status)
	writeJSON(w, http.StatusOK, jsonBody(out))
}
