package naccs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
)

// CyberPort's API is an ASP.NET Web API (its /DynamicHelp pages are Web API help pages), so
// its errors are, as the mock decides (NOTES.md), ASP.NET Web API 2's: {"Message": …} and,
// for a refused body, {"Message":"The request is invalid.","ModelState":{key:[…]}}. The
// token endpoint answers OWIN's {"error": …}; the subscription-key scheme answers Azure API
// Management's {"statusCode": …, "message": …}.

// envelope kinds.
const (
	shapeASPNET = iota
	shapeOAuth
	shapeAPIM
)

// apiError is one entry of the catalogue, ready to render.
type apiError struct {
	status     int
	shape      int
	message    string              // Message, OAuth error, or APIM message
	modelState map[string][]string // shapeASPNET only
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func aspnet(status int, format string, args ...any) *apiError {
	return &apiError{status: status, shape: shapeASPNET, message: fmt.Sprintf(format, args...)}
}

// The catalogue. ASP.NET's own texts are copied; the business messages are the mock's.
const (
	msgUnauthorized   = "Authorization has been denied for this request."
	msgInvalid        = "The request is invalid."
	msgNoRoute        = "No HTTP resource was found that matches the request URI '%s'."
	msgNoMethod       = "The requested resource does not support http method '%s'."
	msgInternal       = "An error has occurred."
	msgMaintenance    = "The service is temporarily unavailable for maintenance."
	msgAPIMMissingKey = "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
	msgAPIMInvalidKey = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
	msgAPIMRate       = "Rate limit is exceeded. Try again in 1 seconds."
)

var (
	errUnauthorized    = &apiError{status: http.StatusUnauthorized, shape: shapeASPNET, message: msgUnauthorized}
	errAPIMMissingKey  = &apiError{status: http.StatusUnauthorized, shape: shapeAPIM, message: msgAPIMMissingKey}
	errAPIMInvalidKey  = &apiError{status: http.StatusUnauthorized, shape: shapeAPIM, message: msgAPIMInvalidKey}
	errInvalidClient   = &apiError{status: http.StatusBadRequest, shape: shapeOAuth, message: "invalid_client"}
	errUnsupportedType = &apiError{status: http.StatusBadRequest, shape: shapeOAuth, message: "unsupported_grant_type"}
	errInvalidGrant    = &apiError{status: http.StatusBadRequest, shape: shapeOAuth, message: "invalid_request"}

	errDealNotFound    = aspnet(http.StatusNotFound, "The deal was not found.")
	errReportNotFound  = aspnet(http.StatusNotFound, "The report was not found.")
	errSendNotFound    = aspnet(http.StatusNotFound, "No NACCS send was found for the report.")
	errWebhookNotFound = aspnet(http.StatusNotFound, "No webhook is set for the organization.")
	errStaleETag       = aspnet(http.StatusPreconditionFailed, "The report has been changed since it was read (_etag mismatch). Get the report again and retry.")
	errReportSending   = aspnet(http.StatusConflict, "The report is being sent to NACCS (送信処理中). Wait for the NACCS result before changing or sending it again.")
	errNotOwner        = aspnet(http.StatusForbidden, "Only the organization that created the report can access it.")
	errNotDeleter      = aspnet(http.StatusForbidden, "Only the organization and business type that created the report can delete it.")
	errNoNaccsUser     = aspnet(http.StatusForbidden, "The user is not linked to a NACCS user and cannot send to NACCS.")
	errNotAdmin        = aspnet(http.StatusForbidden, "Only an administrator of the organization can set its webhook.")
	errInternal        = aspnet(http.StatusInternalServerError, msgInternal)
)

func errNoPermission(perm string) *apiError {
	return aspnet(http.StatusForbidden, "The user does not have %s permission.", perm)
}

func errOtherOrganization(org string) *apiError {
	return aspnet(http.StatusForbidden, "The user does not belong to the organization %s.", org)
}

func errNotParticipant(org, businessType string) *apiError {
	return aspnet(http.StatusForbidden, "The organization %s does not take part in the deal as business type %s.", org, businessType)
}

func errNaccsUserBusy(naccsUser string) *apiError {
	return aspnet(http.StatusConflict, "The NACCS user %s is already sending another report (送信処理中). Send again when that send has finished.", naccsUser)
}

// errModelState is 400 with one or more refused keys.
func errModelState(ms map[string][]string) *apiError {
	return &apiError{status: http.StatusBadRequest, shape: shapeASPNET, message: msgInvalid, modelState: ms}
}

// modelStateOf adds one message under key.
func modelStateOf(pairs ...string) map[string][]string {
	ms := map[string][]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		ms[pairs[i]] = append(ms[pairs[i]], pairs[i+1])
	}
	return ms
}

// ASP.NET DataAnnotations' own messages.
const (
	dataRequired  = "The %s field is required."
	dataMaxLength = "The field %s must be a string with a maximum length of %d."
	dataRegex     = "The field %s must match the regular expression '%s'."
	dataNotValid  = "The value is not valid for %s."
	dataUnknown   = "%s is not an item of business %s."
	dataURL       = "The webhook URL must be an absolute http or https URL."
	dataLoopback  = "The webhook URL must point at a loopback address (localhost, 127.0.0.0/8 or ::1): upmock never posts off the machine unless the setting allowNonLoopbackWebhooks is on."
)

// body renders e in its envelope.
func (e *apiError) body() []byte {
	switch e.shape {
	case shapeOAuth:
		return jsonBody(map[string]string{"error": e.message})
	case shapeAPIM:
		return jsonBody(struct {
			StatusCode int    `json:"statusCode"`
			Message    string `json:"message"`
		}{e.status, e.message})
	}
	if len(e.modelState) == 0 {
		return jsonBody(struct {
			Message string `json:"Message"`
		}{e.message})
	}
	for _, msgs := range e.modelState {
		sort.Strings(msgs)
	}
	return jsonBody(struct {
		Message    string              `json:"Message"`
		ModelState map[string][]string `json:"ModelState"`
	}{e.message, e.modelState})
}

// jsonBody encodes v without Go's HTML escaping.
func jsonBody(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// writeJSON is the one writer of every JSON answer this mock sends.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// faultError is the catalogue entry an injected bare status stands for.
func faultError(status int) *apiError {
	switch status {
	case http.StatusBadRequest:
		return errModelState(modelStateOf("request", "The request is invalid."))
	case http.StatusUnauthorized:
		return errUnauthorized
	case http.StatusForbidden:
		return errNoPermission(permWrite)
	case http.StatusNotFound:
		return errReportNotFound
	case http.StatusConflict:
		return errReportSending
	case http.StatusPreconditionFailed:
		return errStaleETag
	case http.StatusTooManyRequests:
		return &apiError{status: status, shape: shapeAPIM, message: msgAPIMRate}
	case http.StatusInternalServerError:
		return errInternal
	case http.StatusServiceUnavailable:
		return aspnet(status, msgMaintenance)
	}
	return aspnet(status, "%s", http.StatusText(status))
}
