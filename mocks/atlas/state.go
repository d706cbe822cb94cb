package atlas

import "time"

// State is the whole model, and exactly what GET/PUT /__upmock/state/atlas exchange; the
// fixtures' tenants.json is a State without traffic.
type State struct {
	Tenants []*Tenant `json:"tenants"`
}

// Tenant is one customer: its bases, API keys, masters and everything registered.
type Tenant struct {
	TenantID string   `json:"tenantId"`
	Name     string   `json:"name"`
	Bases    []Base   `json:"bases"`
	APIKeys  []APIKey `json:"apiKeys"`
	Masters  []Master `json:"masters"`

	// TransactionIDs are every accepted request's transactionId (errorCode 200 on reuse).
	TransactionIDs []string `json:"transactionIds"`
	// Pending are accepted registrations not yet applied.
	Pending []Pending `json:"pending"`
	// Records are applied items, in application order; Seq orders cursors.
	Records []Record `json:"records"`
	// Inactivations are inactive-tracking-ID events, in order.
	Inactivations []Inactivation `json:"inactivations"`
	// Scheduled are automatic inactivations (reason 3) not yet due.
	Scheduled []Inactivation `json:"scheduled"`
	// LastSeq numbers records and inactivations.
	LastSeq int64 `json:"lastSeq"`
}

// Base is a site of the tenant.
type Base struct {
	BaseID string `json:"baseId"`
	Name   string `json:"name"`
}

// APIKey is a client's key, its secret (the JWT signing key) and the one base it acts for.
type APIKey struct {
	APIKey    string `json:"apiKey"`
	APISecret string `json:"apiSecret"`
	BaseID    string `json:"baseId"`
}

// Master is a client master file and its uploaded versions.
type Master struct {
	Name     string          `json:"name"`
	Versions []MasterVersion `json:"versions"`
}

// MasterVersion is one upload; File names a fixture file that fills Content at load.
type MasterVersion struct {
	UploadedAt  string `json:"uploadedAt"`
	FileName    string `json:"fileName"`
	ContentType string `json:"contentType,omitempty"`
	File        string `json:"file,omitempty"`
	Content     string `json:"content,omitempty"`
}

// Kinds of registration.
const (
	kindShipping  = "shipping"
	kindReceiving = "receiving"
)

// Pending is an accepted registration waiting for its Due time.
type Pending struct {
	Kind     string              `json:"kind"`
	Due      time.Time           `json:"due"`
	Accepted time.Time           `json:"accepted"`
	Request  RegistrationRequest `json:"request"`
}

// Record is one applied item.
type Record struct {
	Seq            int64     `json:"seq"`
	Kind           string    `json:"kind"`
	RegisteredAt   time.Time `json:"registeredAt"`
	TransactionID  string    `json:"transactionId"`
	MovementSlipNo string    `json:"movementSlipNo"`
	BaseID         string    `json:"baseId"`
	CounterBaseID  string    `json:"counterBaseId"`
	Item           Item      `json:"item"`
}

// Inactivation is one tracking ID made inactive, with the document's reason code.
type Inactivation struct {
	Seq        int64     `json:"seq"`
	TrackingID string    `json:"trackingId"`
	ReasonCd   string    `json:"inactivatedReasonCd"`
	At         time.Time `json:"inactivatedUpdatedAt"`
}

// Reason codes of InactiveTrackingId.inactivatedReasonCd.
const (
	reasonByClient    = "1" // クライアントの指定による無効化
	reasonUIDConflict = "2" // UID重複による無効化
	reasonElapsedDays = "3" // 自動無効化経過日数の経過による無効化
)
