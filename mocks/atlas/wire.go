package atlas

// RegistrationRequest is the body of the four registration operations, with the upstream's
// field names. Pointers mark the fields the upstream allows to be null.
type RegistrationRequest struct {
	TransactionID  string  `json:"transactionId"`
	MovementSlipNo string  `json:"movementSlipNo"`
	BaseID         string  `json:"baseId"`
	CounterBaseID  string  `json:"counterBaseId"`
	TargetPath     *string `json:"targetPath"`
	Items          []Item  `json:"items"`
}

// Item is one registered item.
type Item struct {
	TrackingID                string        `json:"trackingId"`
	UID                       string        `json:"uid"`
	AutoIDType                string        `json:"autoIdType"`
	Path                      string        `json:"path"`
	ItemCount                 *int64        `json:"itemCount"`
	MovedDateTime             string        `json:"movedDateTime"`
	IndividualRecognitionCode *string       `json:"individualRecognitionCode"`
	LargeClassAggregationKey  *string       `json:"largeClassAggregationKey"`
	MiddleClassAggregationKey *string       `json:"middleClassAggregationKey"`
	SmallClassAggregationKey  *string       `json:"smallClassAggregationKey"`
	IsInactivated             *bool         `json:"isInactivated"`
	AutoInactive              *AutoInactive `json:"autoInactive"`
	Detail                    *ItemDetail   `json:"detail,omitempty"`
}

// AutoInactive asks for the item under TargetParentPath to be inactivated after ElapsedDays.
type AutoInactive struct {
	IsAutoInactivated bool    `json:"isAutoInactivated"`
	TargetParentPath  *string `json:"targetParentPath"`
	ElapsedDays       *int64  `json:"elapsedDays"`
}

// ItemDetail is the item's free detail block (each up to 36 characters).
type ItemDetail struct {
	LinkID     *string `json:"linkId,omitempty"`
	LinkCode1  *string `json:"linkCode1,omitempty"`
	LinkCode2  *string `json:"linkCode2,omitempty"`
	LinkCode3  *string `json:"linkCode3,omitempty"`
	Category1  *string `json:"category1,omitempty"`
	Category2  *string `json:"category2,omitempty"`
	Category3  *string `json:"category3,omitempty"`
	Category4  *string `json:"category4,omitempty"`
	Category5  *string `json:"category5,omitempty"`
	Attribute1 *string `json:"attribute1,omitempty"`
	Attribute2 *string `json:"attribute2,omitempty"`
	Attribute3 *string `json:"attribute3,omitempty"`
	Attribute4 *string `json:"attribute4,omitempty"`
	Attribute5 *string `json:"attribute5,omitempty"`
	Attribute6 *string `json:"attribute6,omitempty"`
	Attribute7 *string `json:"attribute7,omitempty"`
	Attribute8 *string `json:"attribute8,omitempty"`
	Attribute9 *string `json:"attribute9,omitempty"`
}

// DownloadList is TagData and InactiveTrackingIdData: the answer of both listing operations.
type DownloadList struct {
	URLs    []string `json:"urls"`
	Cursor  string   `json:"cursor"`
	HasNext bool     `json:"hasNext"`
}

// ActualShippingData is the content of a shipping download file.
type ActualShippingData struct {
	ActualShippingData []ActualShipping `json:"actualShippingData"`
}

// ActualShipping is one movement slip's shipped items.
type ActualShipping struct {
	TenantID       string               `json:"tenantId"`
	MovementSlipNo string               `json:"movementSlipNo"`
	BaseID         string               `json:"baseId"`
	CounterBaseID  string               `json:"counterBaseId"`
	Items          []ActualShippingItem `json:"items"`
}

// ActualShippingItem is an item as the download file shows it.
type ActualShippingItem struct {
	TrackingID                string      `json:"trackingId"`
	UID                       string      `json:"uid"`
	AutoIDType                string      `json:"autoIdType"`
	Path                      string      `json:"path"`
	ItemCount                 *int64      `json:"itemCount"`
	MovedDateTime             string      `json:"movedDateTime"`
	IndividualRecognitionCode *string     `json:"individualRecognitionCode"`
	LargeClassAggregationKey  *string     `json:"largeClassAggregationKey"`
	MiddleClassAggregationKey *string     `json:"middleClassAggregationKey"`
	SmallClassAggregationKey  *string     `json:"smallClassAggregationKey"`
	Detail                    *ItemDetail `json:"detail,omitempty"`
}

// InactiveTrackingIDs is the content of an inactive-tracking-ID download file.
type InactiveTrackingIDs struct {
	InactiveTrackingIDs []InactiveTrackingID `json:"inactiveTrackingIds"`
}

// InactiveTrackingID is one inactivation.
type InactiveTrackingID struct {
	TrackingID           string `json:"trackingId"`
	InactivatedReasonCd  string `json:"inactivatedReasonCd"`
	InactivatedUpdatedAt string `json:"inactivatedUpdatedAt"`
}

// Credentials is the answer of GET /log/credentials.
type Credentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      string `json:"expiration"`
}

// LatestMasterData is the answer of GET /master/{masterName}; URL is null when nothing newer.
type LatestMasterData struct {
	URL *string `json:"url"`
}

// ProblemDetails is the upstream's error envelope.
type ProblemDetails struct {
	Title         string         `json:"title"`
	ErrorCode     int            `json:"errorCode"`
	Detail        string         `json:"detail"`
	TraceID       string         `json:"traceId"`
	InvalidParams []InvalidParam `json:"invalidParams"`
}

// InvalidParam names one bad input and why.
type InvalidParam struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// gatewayMessage is API Gateway's own body for 403, 500 and 504.
type gatewayMessage struct {
	Message string `json:"message"`
}

// Time formats of the document.
const (
	requestDateLayout = "2006-01-02T15:04:05Z"        // JWT requestDate, credentials expiration
	microsLayout      = "2006-01-02T15:04:05.000000Z" // movedDateTime, inactivatedUpdatedAt, lastDownloadDateTime
)
