package atlasclient

// Registration is one movement slip's shipping or receiving record (RegistrationRequest
// without transactionId, which the client generates). A nil pointer is a field the caller
// did not set; it is sent as null.
type Registration struct {
	MovementSlipNo string `json:"movementSlipNo"`
	BaseID         string `json:"baseId"`
	CounterBaseID  string `json:"counterBaseId"`
	// TargetPath is required by the bulk endpoints; everything registered below it is
	// replaced by this request's items.
	TargetPath *string `json:"targetPath"`
	Items      []Item  `json:"items"`
}

// Item is the upstream's Item.
type Item struct {
	TrackingID    string `json:"trackingId"`
	UID           string `json:"uid"`
	AutoIDType    string `json:"autoIdType"`
	Path          string `json:"path"`
	ItemCount     int64  `json:"itemCount"`
	MovedDateTime string `json:"movedDateTime"` // YYYY-MM-DDThh:mm:ss.ffffffZ, see MovedDateTimeLayout

	IndividualRecognitionCode *string `json:"individualRecognitionCode"`
	// The three aggregation keys are sent as "" when nil: the upstream asks for an empty
	// string, not null, when they are unset.
	LargeClassAggregationKey  *string `json:"largeClassAggregationKey"`
	MiddleClassAggregationKey *string `json:"middleClassAggregationKey"`
	SmallClassAggregationKey  *string `json:"smallClassAggregationKey"`

	IsInactivated bool          `json:"isInactivated"`
	AutoInactive  *AutoInactive `json:"autoInactive"`
	// Detail is omitted from the request when nil.
	Detail *ItemDetail `json:"detail,omitempty"`
}

// MovedDateTimeLayout formats Item.MovedDateTime: UTC with six fractional digits.
const MovedDateTimeLayout = "2006-01-02T15:04:05.000000Z"

// AutoInactive asks the upstream to inactivate an item some days after it moved.
type AutoInactive struct {
	IsAutoInactivated bool    `json:"isAutoInactivated"`
	TargetParentPath  *string `json:"targetParentPath"`
	ElapsedDays       *int64  `json:"elapsedDays"`
}

// ItemDetail is the upstream's item detail (the successor of the aggregation keys).
type ItemDetail struct {
	LinkID     *string `json:"linkId"`
	LinkCode1  *string `json:"linkCode1"`
	LinkCode2  *string `json:"linkCode2"`
	LinkCode3  *string `json:"linkCode3"`
	Category1  *string `json:"category1"`
	Category2  *string `json:"category2"`
	Category3  *string `json:"category3"`
	Category4  *string `json:"category4"`
	Category5  *string `json:"category5"`
	Attribute1 *string `json:"attribute1"`
	Attribute2 *string `json:"attribute2"`
	Attribute3 *string `json:"attribute3"`
	Attribute4 *string `json:"attribute4"`
	Attribute5 *string `json:"attribute5"`
	Attribute6 *string `json:"attribute6"`
	Attribute7 *string `json:"attribute7"`
	Attribute8 *string `json:"attribute8"`
	Attribute9 *string `json:"attribute9"`
}

// String returns a pointer to s, for the optional fields.
func String(s string) *string { return &s }

// Int64 returns a pointer to n, for the optional fields.
func Int64(n int64) *int64 { return &n }
