package atlas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is one entry of the document's ProblemDetails table, ready to render.
type apiError struct {
	status        int
	title         string
	code          int
	detail        string
	invalidParams []InvalidParam
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %d %s", e.status, e.code, e.detail) }

// withParams returns a copy carrying invalidParams.
func (e apiError) withParams(params ...InvalidParam) *apiError {
	e.invalidParams = params
	return &e
}

// The catalogue: the document's ProblemDetails table, character for character.
var (
	errInvalidInput        = apiError{http.StatusBadRequest, "BadRequest", 100, "invalid input value.", nil}
	errMultipleItems       = apiError{http.StatusBadRequest, "BadRequest", 203, "there can be only one item in this request.", nil}
	errPathInconsistency   = apiError{http.StatusBadRequest, "BadRequest", 204, "item's path and targetPath inconsistency error.", nil}
	errRequestTooLarge     = apiError{http.StatusBadRequest, "BadRequest", 205, "request is too large. please request's data size keep less than 10MB.", nil}
	errKeyBaseMismatch     = apiError{http.StatusBadRequest, "BadRequest", 207, "there is an inconsistency between api key and baseId.", nil}
	errAuthorization       = apiError{http.StatusUnauthorized, "Unauthorized", 800, "authorization failed.", nil}
	errJWTExpired          = apiError{http.StatusUnauthorized, "Unauthorized", 801, "jwt expired.", nil}
	errRequestDateFormat   = apiError{http.StatusUnauthorized, "Unauthorized", 804, "requestDate is invalid format.", nil}
	errResourceNotFound    = apiError{http.StatusNotFound, "NotFound", 802, "resource not found. please confirm request's path.", nil}
	errThrottled           = apiError{http.StatusTooManyRequests, "Throttled", 803, "request is too many. please call API in a little while.", nil}
	errInternal            = apiError{http.StatusInternalServerError, "InternalServerError", 900, "internal error has occurred. please call API in a little while.", nil}
	errMaintenance         = apiError{http.StatusServiceUnavailable, "ServiceUnavailable", 901, "system maintenance.", nil}
	errAlreadyReceived     = apiError{http.StatusBadRequest, "BadRequest", 201, "the data has already been received at the next base.", nil}
	errSlipUsedByOtherBase = apiError{http.StatusBadRequest, "BadRequest", 202, "the specified movementSlipNo has already been used in other base. please specify different value for movementSlipNo.", nil}
)

func errDuplicateTransaction(transactionID string) *apiError {
	return &apiError{http.StatusBadRequest, "BadRequest", 200, fmt.Sprintf("the transactionId=%s has already been registered.", transactionID), nil}
}

func errInvalidJSON(reason string) *apiError {
	return &apiError{http.StatusBadRequest, "BadRequest", 206, fmt.Sprintf("invalid json format. [%s]", reason), nil}
}

func errMasterNotFound(master string) *apiError {
	return &apiError{http.StatusBadRequest, "BadRequest", 208, fmt.Sprintf("the master file does not exist.[ master=%s ]", master), nil}
}

// The InvalidParam reason templates of the document (including its spelling "charcter").
const (
	reasonRequired        = "must be required."
	reasonDigits          = "digit must be greater than or equal to %d and less than or equal to %d."
	reasonNonAlphabetic   = "a non-alphabetic character was found."
	reasonNonNumerical    = "a non-numerical charcter was found."
	reasonNonAlphanumeric = "a non-alphanumeric character was found."
	reasonInvalidFormat   = "invalid format."
	reasonPathTarget      = "item's path must start with targetPath or targetPath must start with item's path. [trackingId=%s,targetPath=%s,path=%s]"
)

// API Gateway's message-only bodies, which carry no errorCode.
var (
	gatewayForbidden = gatewayMessage{"Forbidden"}
	gatewayInternal  = gatewayMessage{"Internal Server Error"}
	gatewayTimeout   = gatewayMessage{"Endpoint request timed out"}
)

// problemBody renders e as the wire envelope with traceID.
func problemBody(e *apiError, traceID string) []byte {
	params := e.invalidParams
	if params == nil {
		params = []InvalidParam{}
	}
	return jsonBody(ProblemDetails{Title: e.title, ErrorCode: e.code, Detail: e.detail, TraceID: traceID, InvalidParams: params})
}

// jsonBody encodes v as the upstream does: without Go's HTML escaping, so a URL's "&" stays
// "&" rather than "\u0026".
func jsonBody(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// writeJSON is the one writer of every JSON answer this mock sends.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
