package atlas

import (
	"strings"
	"time"
)

// accept runs the checks the upstream answers synchronously (errorCodes 200, 201, 202) and
// queues the registration; it is applied RegistrationDelay later on the clock.
func (s *store) accept(kind string, key keyInfo, req RegistrationRequest) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	// The key is looked up again: a state put since the request was authenticated has
	// replaced the tenant the caller found.
	key, ok := s.keys[key.APIKey.APIKey]
	if !ok {
		return &errAuthorization
	}
	idx, log := s.tenants[key.tenant.TenantID], s.accepted[key.tenant]
	h, seen := log.seenBefore(req.TransactionID)
	if seen {
		return errDuplicateTransaction(req.TransactionID)
	}
	if kind == kindShipping && idx.receivedAt(req.MovementSlipNo, req.CounterBaseID) {
		return &errAlreadyReceived
	}
	if idx.slipUsedByOtherBase(kind, req.MovementSlipNo, req.BaseID) {
		return &errSlipUsedByOtherBase
	}
	s.shareWithPrevious(&req)
	now := s.clock.Now()
	log.accept(h, kind, now.Add(s.settings.RegistrationDelay.D()), now, &req)
	return nil
}

// shareWithPrevious makes req reuse the previous accepted request's values where they are
// equal, so a run of similar registrations (one slip sent item by item, a client retrying
// with a new transactionId, a load test) holds each distinct value once. What an accepted
// registration then costs until it is applied is its pending entry and its transactionId,
// a few hundred bytes (bench_memory_test.go measures it), not a copy of its items.
func (s *store) shareWithPrevious(req *RegistrationRequest) {
	prev := &s.lastAccepted
	for _, f := range [...]struct {
		dst *string
		src string
	}{
		{&req.MovementSlipNo, prev.MovementSlipNo}, {&req.BaseID, prev.BaseID}, {&req.CounterBaseID, prev.CounterBaseID},
	} {
		if *f.dst == f.src {
			*f.dst = f.src
		}
	}
	if req.TargetPath != nil && prev.TargetPath != nil && *req.TargetPath == *prev.TargetPath {
		req.TargetPath = prev.TargetPath
	}
	// Items are never changed once accepted (applying copies each one), so equal slices can
	// be one slice, and equal values of different items one value: each item shares with
	// the one before it (the previous request's last for the first).
	if len(req.Items) > 0 && sameItems(req.Items, prev.Items) {
		req.Items = prev.Items
	} else {
		for i := range req.Items {
			switch {
			case i > 0:
				shareItemValues(&req.Items[i], &req.Items[i-1])
			case len(prev.Items) > 0:
				shareItemValues(&req.Items[0], &prev.Items[len(prev.Items)-1])
			}
		}
	}
	s.lastAccepted = *req
}

// shareItemValues makes item use prev's strings and pointed-to values where they are equal.
func shareItemValues(item, prev *Item) {
	for _, f := range [...]struct{ dst, src *string }{
		{&item.TrackingID, &prev.TrackingID}, {&item.UID, &prev.UID}, {&item.AutoIDType, &prev.AutoIDType},
		{&item.Path, &prev.Path}, {&item.MovedDateTime, &prev.MovedDateTime},
	} {
		if *f.dst == *f.src {
			*f.dst = *f.src
		}
	}
	sharePtr(&item.ItemCount, prev.ItemCount)
	for _, f := range [...]struct{ dst, src **string }{
		{&item.IndividualRecognitionCode, &prev.IndividualRecognitionCode},
		{&item.LargeClassAggregationKey, &prev.LargeClassAggregationKey},
		{&item.MiddleClassAggregationKey, &prev.MiddleClassAggregationKey},
		{&item.SmallClassAggregationKey, &prev.SmallClassAggregationKey},
	} {
		sharePtr(f.dst, *f.src)
	}
	sharePtr(&item.IsInactivated, prev.IsInactivated)
	if sameAutoInactive(item.AutoInactive, prev.AutoInactive) {
		item.AutoInactive = prev.AutoInactive
	}
	if sameDetail(item.Detail, prev.Detail) {
		item.Detail = prev.Detail
	}
}

// sharePtr points *dst at src's value when the two are equal.
func sharePtr[T comparable](dst **T, src *T) {
	if equalPtr(*dst, src) {
		*dst = src
	}
}

// receivedAt reports whether the next base has registered receiving for the slip: from then
// on shipping for it is refused (errorCode 201).
func (idx *tenantIndex) receivedAt(slip, counterBaseID string) bool {
	return idx.received[[2]string{slip, counterBaseID}]
}

// slipUsedByOtherBase: a movementSlipNo belongs to the base that first registered it for a
// kind (errorCode 202).
func (idx *tenantIndex) slipUsedByOtherBase(kind, slip, baseID string) bool {
	owner, ok := idx.slipOwner[kindSlip{kind, slip}]
	return ok && owner != baseID
}

// applyLocked registers a due request the way the upstream's asynchronous worker does:
// conflicts found now are dropped silently, since the client was already answered 204.
func (s *store) applyLocked(t *Tenant, idx *tenantIndex, p Pending) {
	req := p.Request
	if idx.slipUsedByOtherBase(p.Kind, req.MovementSlipNo, req.BaseID) ||
		(p.Kind == kindShipping && idx.receivedAt(req.MovementSlipNo, req.CounterBaseID)) {
		return
	}
	if req.TargetPath != nil {
		s.removeUnderLocked(t, idx, p.Kind, req.MovementSlipNo, req.BaseID, *req.TargetPath)
	}
	for _, item := range req.Items {
		item = s.completeTrackingIDLocked(idx, item)
		key := recordKey{p.Kind, req.MovementSlipNo, item.TrackingID}
		if idx.live[key] {
			continue // the document: a repeated movementSlipNo+trackingId is not registered
		}
		if old, ok := idx.uids[item.UID]; ok && old != item.TrackingID {
			s.inactivateLocked(t, idx, old, reasonUIDConflict, p.Due)
		}
		t.LastSeq++
		t.Records = append(t.Records, Record{
			Seq: t.LastSeq, Kind: p.Kind, RegisteredAt: p.Due, TransactionID: req.TransactionID,
			MovementSlipNo: req.MovementSlipNo, BaseID: req.BaseID, CounterBaseID: req.CounterBaseID, Item: item,
		})
		idx.live[key] = true
		idx.uids[item.UID] = item.TrackingID
		idx.noteRecord(t.Records[len(t.Records)-1])
		if item.IsInactivated != nil && *item.IsInactivated { // null: not inactivated
			s.inactivateLocked(t, idx, item.TrackingID, reasonByClient, p.Due)
		}
		s.scheduleAutoInactivationLocked(t, item)
	}
}

// removeUnderLocked deletes what lies under targetPath for the slip: the document's
// 「当該格納パスデータを削除の上、今回リクエストデータを登録します」.
func (s *store) removeUnderLocked(t *Tenant, idx *tenantIndex, kind, slip, baseID, targetPath string) {
	kept := t.Records[:0]
	for _, r := range t.Records {
		if r.Kind == kind && r.MovementSlipNo == slip && r.BaseID == baseID && strings.HasPrefix(r.Item.Path, targetPath) {
			delete(idx.live, recordKey{r.Kind, r.MovementSlipNo, r.Item.TrackingID})
			continue
		}
		kept = append(kept, r)
	}
	t.Records = kept
}

// completeTrackingIDLocked fills trackingId "#": the upstream identifies the tracking ID by
// the item's uid, or numbers a new one, and puts it in the path's last level too.
func (s *store) completeTrackingIDLocked(idx *tenantIndex, item Item) Item {
	if item.TrackingID != "#" {
		return item
	}
	id, ok := idx.uids[item.UID]
	if !ok {
		id = strings.ToUpper(s.ids.UUID())
	}
	item.TrackingID = id
	item.Path = strings.TrimSuffix(item.Path, "#/") + id + "/"
	return item
}

// scheduleAutoInactivationLocked plans reason 3: elapsedDays after the item's movedDateTime,
// the tracking ID at the end of targetParentPath (the item's own when null) becomes inactive.
func (s *store) scheduleAutoInactivationLocked(t *Tenant, item Item) {
	auto := item.AutoInactive
	if auto == nil || !auto.IsAutoInactivated || auto.ElapsedDays == nil {
		return
	}
	moved, err := time.Parse(microsLayout, item.MovedDateTime)
	if err != nil {
		return
	}
	target := item.TrackingID
	if auto.TargetParentPath != nil {
		target = lastSegment(*auto.TargetParentPath)
	}
	insertScheduled(t, Inactivation{TrackingID: target, ReasonCd: reasonElapsedDays, At: moved.AddDate(0, 0, int(*auto.ElapsedDays))})
}
