package occto

import (
	"fmt"
	"net/http"
	"strings"
)

// Result codes travel in the `resultcode` response header; 0000 is success. The seed names
// only the daily-limit message (「API 上限回数を超えています」); the codes and the other
// messages are the mock's (specs/occto/NOTES.md).
const (
	codeOK = "0000"
)

// apiError is one entry of the result-code catalogue: the code, the HTTP status it travels
// with (200: OCCTO answers application failures with 200 and a non-0000 resultcode) and the
// message of the error XML.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + " " + e.message }

// The catalogue.
var (
	errUnknownUser     = apiError{http.StatusOK, "1001", "ユーザIDが存在しません"}
	errWrongPassword   = apiError{http.StatusOK, "1002", "パスワードが正しくありません"}
	errNoCredentials   = apiError{http.StatusOK, "1003", "ユーザIDまたはパスワードが設定されていません"}
	errDailyLimit      = apiError{http.StatusOK, "2001", "API 上限回数を超えています"}
	errNotFound        = apiError{http.StatusOK, "3002", "該当するデータが存在しません"}
	errStillProcessing = apiError{http.StatusOK, "3003", "受付処理中のため取得できません"}
	errSystem          = apiError{http.StatusInternalServerError, "9001", "システムエラーが発生しました"}
	errMaintenance     = apiError{http.StatusServiceUnavailable, "9002", "システムメンテナンス中です"}
)

// errBadParam is 3001 naming the parameter: missing, malformed or not a code OCCTO knows.
func errBadParam(name string) *apiError {
	return &apiError{http.StatusOK, "3001", fmt.Sprintf("パラメータが不正です（%s）", name)}
}

// errorXML renders e as OCCTO's error body.
func errorXML(e *apiError) []byte {
	var b strings.Builder
	b.WriteString(xmlDeclaration)
	b.WriteString("<SBD-MSG>\n  <RESULT>\n")
	writeLeaf(&b, 4, "RESULT_CD", e.code)
	writeLeaf(&b, 4, "RESULT_MSG", e.message)
	b.WriteString("  </RESULT>\n</SBD-MSG>\n")
	return []byte(b.String())
}

// catalogueFor is the error an injected fault status stands for.
func catalogueFor(status int) *apiError {
	if status == http.StatusServiceUnavailable {
		return &errMaintenance
	}
	e := errSystem
	e.status = status
	return &e
}

// headerResultCode is written in lower case, bypassing Go's canonicalisation: OCCTO's own
// clients match `resultcode: ` literally (the PHP client's preg_match), so the upstream
// evidently sends it that way.
const headerResultCode = "resultcode"

// writeResult is the one writer of every answer this mock sends from a handler: the
// resultcode header, then either the Base64 ZIP (success) or the error XML.
func writeResult(w http.ResponseWriter, code string, status int, contentType string, body []byte) {
	w.Header()[headerResultCode] = []string{code}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeResult(w, e.code, e.status, contentTypeXML, errorXML(e))
}

const (
	contentTypeXML    = "application/xml; charset=UTF-8"
	contentTypeBase64 = "text/plain; charset=UTF-8"
)
