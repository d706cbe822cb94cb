package atlas

import "slices"

// Equality of accepted requests by value, for sharing and for pending runs, without
// reflect.DeepEqual's allocations on the accept path. A field added to these types must be
// added here: TestEqualityCoversEveryField counts them.

// sameRequestButTransactionID: the requests differ at most in their transactionId.
func sameRequestButTransactionID(a, b *RegistrationRequest) bool {
	return a.MovementSlipNo == b.MovementSlipNo && a.BaseID == b.BaseID && a.CounterBaseID == b.CounterBaseID &&
		equalPtr(a.TargetPath, b.TargetPath) && sameItems(a.Items, b.Items)
}

// sameItems: equal lengths and items, and both nil or both not (null and [] differ in JSON).
func sameItems(a, b []Item) bool {
	return (a == nil) == (b == nil) && slices.EqualFunc(a, b, sameItem)
}

func sameItem(a, b Item) bool {
	return a.TrackingID == b.TrackingID && a.UID == b.UID && a.AutoIDType == b.AutoIDType && a.Path == b.Path &&
		equalPtr(a.ItemCount, b.ItemCount) && a.MovedDateTime == b.MovedDateTime &&
		equalPtr(a.IndividualRecognitionCode, b.IndividualRecognitionCode) &&
		equalPtr(a.LargeClassAggregationKey, b.LargeClassAggregationKey) &&
		equalPtr(a.MiddleClassAggregationKey, b.MiddleClassAggregationKey) &&
		equalPtr(a.SmallClassAggregationKey, b.SmallClassAggregationKey) &&
		equalPtr(a.IsInactivated, b.IsInactivated) && sameAutoInactive(a.AutoInactive, b.AutoInactive) &&
		sameDetail(a.Detail, b.Detail)
}

func sameAutoInactive(a, b *AutoInactive) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.IsAutoInactivated == b.IsAutoInactivated && equalPtr(a.TargetParentPath, b.TargetParentPath) &&
		equalPtr(a.ElapsedDays, b.ElapsedDays)
}

func sameDetail(a, b *ItemDetail) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.EqualFunc(a.fields(), b.fields(), equalPtr[string])
}

// fields are the detail's values in declaration order.
func (d *ItemDetail) fields() []*string {
	return []*string{d.LinkID, d.LinkCode1, d.LinkCode2, d.LinkCode3, d.Category1, d.Category2, d.Category3,
		d.Category4, d.Category5, d.Attribute1, d.Attribute2, d.Attribute3, d.Attribute4, d.Attribute5,
		d.Attribute6, d.Attribute7, d.Attribute8, d.Attribute9}
}

// equalPtr: both null, or both set to equal values.
func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
