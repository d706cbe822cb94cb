package ics2no

// The bodies on the wire, with the upstreams' field names. Field order follows what the
// public material shows (the real client's DTOs and logs).

// TokenResponse is Maskinporten's answer to a good grant.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// CustomsTokenResponse is the token exchange's answer: the real service sends
// access_token and expires_in (a 2023 log shows scope null; it is left out here).
type CustomsTokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// OAuthError is the OAuth 2.0 error body of Maskinporten and of the token exchange.
type OAuthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// TransportDocumentHouseLevel names a house consignment's transport document (fraktbrev).
type TransportDocumentHouseLevel struct {
	DocumentNumber string `json:"documentNumber"`
	Type           string `json:"type"`
}

// TransportEquipment is one container.
type TransportEquipment struct {
	ContainerIdentificationNumber string `json:"containerIdentificationNumber"`
}

// EntrySummaryDeclarationPresentation presents an ENS and every house consignment under it.
type EntrySummaryDeclarationPresentation struct {
	RequestID                   string `json:"requestId"`
	CustomsOfficeOfPresentation string `json:"customsOfficeOfPresentation"`
	MRN                         string `json:"mrn"`
}

// ReceptaclePresentation presents a receptacle (postsekk) and every house consignment in it.
type ReceptaclePresentation struct {
	RequestID                      string `json:"requestId"`
	CustomsOfficeOfPresentation    string `json:"customsOfficeOfPresentation"`
	ReceptacleIdentificationNumber string `json:"receptacleIdentificationNumber"`
}

// HouseConsignmentPresentation presents house consignments by their transport document,
// optionally narrowed to some containers.
type HouseConsignmentPresentation struct {
	RequestID                   string                      `json:"requestId"`
	CustomsOfficeOfPresentation string                      `json:"customsOfficeOfPresentation"`
	TransportDocumentHouseLevel TransportDocumentHouseLevel `json:"transportDocumentHouseLevel"`
	TransportEquipment          []TransportEquipment        `json:"transportEquipment,omitempty"`
}

// Accepted is the 202 answer to a presentation.
type Accepted struct {
	RequestID string `json:"requestId"`
}

// ValidationStatus is the outcome of a presentation request (and the body of a 400 to one).
type ValidationStatus struct {
	Status              string            `json:"status"`
	RequestID           string            `json:"requestId,omitempty"`
	NotificationDate    string            `json:"notificationDate"`
	ValidationErrorList []ValidationError `json:"validationErrorList"`
}

// ValidationError points at one offending element of the request.
type ValidationError struct {
	Description string  `json:"description"`
	Pointer     Pointer `json:"pointer"`
}

// Pointer names the element: a dotted path with [i] for array items.
type Pointer struct {
	MessageElementPath string `json:"messageElementPath"`
}

// Outcome statuses.
const (
	StatusSuccess = "SUCCESS"
	StatusFailure = "FAILURE"
)

// RoutingReference is transportDocumentHouseLevel as the routing answer names it: the
// routing side says referenceNumber where presentation says documentNumber.
type RoutingReference struct {
	ReferenceNumber string `json:"referenceNumber"`
	Type            string `json:"type"`
}

// RoutingResult is one signal.
type RoutingResult struct {
	ID                string `json:"id"`
	Routing           string `json:"routing"`
	DocumentIssueDate string `json:"documentIssueDate"`
}

// HouseConsignmentRouting is one entry of the routing answer (a bare JSON array of them).
// The real entry also carries estimated/scheduled arrival and the active border transport
// means; the playground has no values for them, so they are left out (NOTES.md).
type HouseConsignmentRouting struct {
	EntrySummaryDeclarationMRN  string               `json:"entrySummaryDeclarationMRN"`
	TransportDocumentHouseLevel RoutingReference     `json:"transportDocumentHouseLevel"`
	TransportEquipment          []TransportEquipment `json:"transportEquipment,omitempty"`
	RoutingResult               RoutingResult        `json:"routingResult"`
}

// Routing signals.
const (
	RoutingToControl = "TO_CONTROL"
	RoutingToEntry   = "TO_ENTRY"
)

// HTTPError is the service's plain error body (Spring Boot's default error attributes).
type HTTPError struct {
	Timestamp string `json:"timestamp"`
	Status    int    `json:"status"`
	Error     string `json:"error"`
	Path      string `json:"path,omitempty"`
}

// Time formats.
const (
	isoSeconds    = "2006-01-02T15:04:05Z"          // notificationDate, documentIssueDate, Jwt expired at …
	springTimeFmt = "2006-01-02T15:04:05.000-07:00" // HTTPError.timestamp
)
