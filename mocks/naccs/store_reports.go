package naccs

// Forms (帳票): CyberPort's Create, Get, an Update guarded by _etag, and Delete.

// createReport is Create: the form of business b in the deal for the organisation and
// business type, made if it does not exist yet. CyberPort's Create "returns the existing
// report when it already exists", answering 200 rather than 201 (created false).
func (s *store) createReport(c *APIClient, b *Business, req CreateReportRequest) (reportResource, bool, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permWrite) {
		return reportResource{}, false, errNoPermission(permWrite)
	}
	if req.OrganizationID != c.OrganizationID {
		return reportResource{}, false, errOtherOrganization(req.OrganizationID)
	}
	deal := s.deals[req.DealNo]
	if deal == nil {
		return reportResource{}, false, errDealNotFound
	}
	if !takesPart(deal, req.OrganizationID, req.BusinessTypeID) {
		return reportResource{}, false, errNotParticipant(req.OrganizationID, req.BusinessTypeID)
	}
	for _, r := range s.state.Reports {
		if r.DealNo == req.DealNo && r.BusinessCode == b.Code && r.OrganizationID == req.OrganizationID && r.BusinessTypeID == req.BusinessTypeID {
			return s.resourceLocked(r), false, nil
		}
	}
	now := s.now()
	r := &Report{
		DealReportID: s.ids.UUID(), ETag: s.newETag(), BusinessCode: b.Code, DealNo: req.DealNo,
		OrganizationID: req.OrganizationID, BusinessTypeID: req.BusinessTypeID, CreatedBy: c.ClientID,
		CreatedAt: now, UpdatedAt: now, Fields: map[string]*string{}, Status: statusNotSent,
	}
	for _, f := range b.Fields() {
		r.Fields[f.Name] = nil
	}
	s.state.Reports = append(s.state.Reports, r)
	s.reports[r.DealReportID] = r
	return s.resourceLocked(r), true, nil
}

func takesPart(d *Deal, org, businessType string) bool {
	for _, p := range d.Participants {
		if p.OrganizationID == org && p.BusinessTypeID == businessType {
			return true
		}
	}
	return false
}

// getReport is Get: Read permission, the creating organisation only.
func (s *store) getReport(c *APIClient, b *Business, id string) (reportResource, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permRead) {
		return reportResource{}, errNoPermission(permRead)
	}
	r, err := s.ownedLocked(c, b, id)
	if err != nil {
		return reportResource{}, err
	}
	return s.resourceLocked(r), nil
}

// reportUpdate is a checked Update body.
type reportUpdate struct {
	DealReportID   string
	ETag           string
	OrganizationID string
	BusinessTypeID string
	Fields         map[string]*string // every field of the business; absent ones are null
}

// updateReport is Update (the seed's 「NACCS連携用帳票の保存API」): it replaces the form's
// fields when the body's _etag is the report's current one, and refuses a stale _etag with
// 412 so a concurrent change is never silently lost.
func (s *store) updateReport(c *APIClient, b *Business, u reportUpdate) (reportResource, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permWrite) {
		return reportResource{}, errNoPermission(permWrite)
	}
	if u.OrganizationID != c.OrganizationID {
		return reportResource{}, errOtherOrganization(u.OrganizationID)
	}
	r, err := s.ownedLocked(c, b, u.DealReportID)
	if err != nil {
		return reportResource{}, err
	}
	if r.BusinessTypeID != u.BusinessTypeID {
		return reportResource{}, errNotOwner
	}
	if r.Status == statusSending {
		return reportResource{}, errReportSending
	}
	if u.ETag != r.ETag {
		return reportResource{}, errStaleETag
	}
	r.Fields = u.Fields
	r.ETag = s.newETag()
	r.UpdatedAt = s.now()
	return s.resourceLocked(r), nil
}

// deleteReport is Delete: only the creating organisation and business type, never while a
// send is in flight. It posts the delete webhook; queued reports whether a delivery waits.
func (s *store) deleteReport(c *APIClient, b *Business, id, org, businessType string) (queued bool, _ *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	if !c.can(permWrite) {
		return false, errNoPermission(permWrite)
	}
	r, err := s.ownedLocked(c, b, id)
	if err != nil {
		return false, err
	}
	if r.OrganizationID != org || r.BusinessTypeID != businessType {
		return false, errNotDeleter
	}
	if r.Status == statusSending {
		return false, errReportSending
	}
	delete(s.reports, id)
	s.state.Reports = removeReport(s.state.Reports, id)
	kept := s.state.Sends[:0]
	for _, sd := range s.state.Sends {
		if sd.DealReportID == id {
			delete(s.sends, sd.NaccsSendID)
			continue
		}
		kept = append(kept, sd)
	}
	s.state.Sends = kept
	return s.queueEventLocked(eventDelete, c, r, b, nil, s.now()), nil
}

func removeReport(list []*Report, id string) []*Report {
	out := list[:0]
	for _, r := range list {
		if r.DealReportID != id {
			out = append(out, r)
		}
	}
	return out
}

// resourceLocked renders a report as CyberPort answers it.
func (s *store) resourceLocked(r *Report) reportResource {
	b, _ := s.cat.Lookup(r.BusinessCode)
	d := s.deals[r.DealNo]
	res := reportResource{
		ETag: r.ETag, DealReportID: r.DealReportID, OrganizationID: r.OrganizationID, BusinessTypeID: r.BusinessTypeID,
		DealInformation: DealInformation{
			DealNo: d.DealNo, DealName: d.DealName, DomesticNo: d.DomesticNo, BookingNo: d.BookingNo,
			BlNumber: d.BlNumber, ScacCode: d.ScacCode, ContainerNo: d.ContainerNo,
		},
		NaccsInformation: NaccsInformation{
			BusinessID: b.ID, BusinessCode: b.Code, BusinessName: b.Name, BusinessKind: b.Kind, Status: r.Status,
		},
		CreatedAt: fmtTime(r.CreatedAt), UpdatedAt: fmtTime(r.UpdatedAt),
	}
	if sd := s.sends[r.LastSendID]; sd != nil {
		id := sd.NaccsSendID
		res.NaccsInformation.LastNaccsSendID = &id
		res.NaccsInformation.LastSentAt = fmtTimePtr(&sd.SentAt)
		res.NaccsInformation.LastReceivedAt = fmtTimePtr(sd.ReceivedAt)
		if sd.Result != nil {
			code := sd.Result.ResultCode
			res.NaccsInformation.ResultCode = &code
		}
	}
	for _, f := range b.Fields() {
		res.fields = append(res.fields, fieldValue{f.Name, r.Fields[f.Name]})
	}
	return res
}
