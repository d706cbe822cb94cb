package atlas

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// jst is the upstream's business time zone: "当月" (this month) and its days are Japanese.
var jst = time.FixedZone("JST", 9*60*60)

// cursor is the opaque cursor the listing operations hand out. The document's own sample
// decodes to {"previousProcessType":…,"requestDatetime":…,"previousID":…,"lastEvaluatedKey":…},
// and this one keeps that shape: PreviousID is the last sequence number the client has
// received in full; LastEvaluatedKey, while hasNext is true, says where the next page starts.
type cursor struct {
	ProcessType      string      `json:"previousProcessType"`
	RequestDatetime  string      `json:"requestDatetime"`
	PreviousID       int64       `json:"previousID"`
	LastEvaluatedKey *cursorPage `json:"lastEvaluatedKey,omitempty"`
	TenantID         string      `json:"tenantId"`
	Stream           string      `json:"stream"`
}

type cursorPage struct {
	SnapshotID int64 `json:"snapshotID"`
	FileIndex  int   `json:"fileIndex"`
}

const (
	processFull = "full"
	processDiff = "diff"

	streamItems    = "items"
	streamInactive = "inactive"
)

var errBadCursor = errors.New("invalid cursor")

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.StdEncoding.EncodeToString(raw)
}

func decodeCursor(s, tenantID, stream string) (*cursor, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errBadCursor
	}
	var c cursor
	if json.Unmarshal(raw, &c) != nil || c.TenantID != tenantID || c.Stream != stream ||
		(c.ProcessType != processFull && c.ProcessType != processDiff) || c.PreviousID < 0 {
		return nil, errBadCursor
	}
	if p := c.LastEvaluatedKey; p != nil && (p.FileIndex < 0 || p.SnapshotID < c.PreviousID) {
		return nil, errBadCursor
	}
	return &c, nil
}

// downloadFile is one file of a listing page, before it is stored behind a URL.
type downloadFile struct {
	label string
	body  any
}

// page is one listing answer.
type page struct {
	files   []downloadFile
	cursor  string
	hasNext bool
}

// window resolves a cursor (nil: first download) to the sequence range and file offset it
// asks for.
func window(c *cursor, lastSeq int64) (mode string, after, snapshot int64, fileIndex int) {
	switch {
	case c == nil:
		return processFull, 0, lastSeq, 0
	case c.LastEvaluatedKey != nil:
		return c.ProcessType, c.PreviousID, c.LastEvaluatedKey.SnapshotID, c.LastEvaluatedKey.FileIndex
	default:
		return processDiff, c.PreviousID, lastSeq, 0
	}
}

// paginate cuts files into the page starting at fileIndex and makes the next cursor: the
// continuation while files remain, else a diff cursor from the snapshot.
func paginate(files []downloadFile, mode string, after, snapshot int64, fileIndex, perPage int, tenantID, stream string, now time.Time) page {
	next := cursor{ProcessType: processDiff, RequestDatetime: now.UTC().Format(requestDateLayout), PreviousID: snapshot, TenantID: tenantID, Stream: stream}
	end := min(fileIndex+perPage, len(files))
	if fileIndex > len(files) {
		fileIndex = len(files)
	}
	p := page{files: files[fileIndex:end]}
	if end < len(files) {
		next.ProcessType, next.PreviousID = mode, after
		next.LastEvaluatedKey = &cursorPage{SnapshotID: snapshot, FileIndex: end}
		p.hasNext = true
	}
	p.cursor = encodeCursor(next)
	return p
}

// shippingPage answers GET /items/download.
func (s *store) shippingPage(t *Tenant, c *cursor) page {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	now := s.clock.Now()
	mode, after, snapshot, fileIndex := window(c, t.LastSeq)
	var rows []Record
	for _, r := range liveRecords(t, kindShipping) {
		if r.Seq > after && r.Seq <= snapshot {
			rows = append(rows, r)
		}
	}
	var files []downloadFile
	if mode == processFull {
		files = s.splitByMonthAndDay(t, rows, now)
	} else {
		files = chunkShipping(t, fmt.Sprintf("diff_%d", after), rows, s.settings.RecordsPerFile)
	}
	return paginate(files, mode, after, snapshot, fileIndex, s.settings.URLsPerPage, t.TenantID, streamItems, now)
}

// splitByMonthAndDay follows the document: a first download is split into what precedes this
// month and this month's days (当月以前と当月(日次単位)で分けて生成).
func (s *store) splitByMonthAndDay(t *Tenant, rows []Record, now time.Time) []downloadFile {
	local := now.In(jst)
	monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, jst)
	var before []Record
	days := map[string][]Record{}
	var order []string
	for _, r := range rows {
		at := r.RegisteredAt.In(jst)
		if at.Before(monthStart) {
			before = append(before, r)
			continue
		}
		day := at.Format("20060102")
		if _, seen := days[day]; !seen {
			order = append(order, day)
		}
		days[day] = append(days[day], r)
	}
	files := chunkShipping(t, "before_"+monthStart.Format("200601"), before, s.settings.RecordsPerFile)
	for _, day := range order {
		files = append(files, chunkShipping(t, day, days[day], s.settings.RecordsPerFile)...)
	}
	return files
}

// chunkShipping groups records into files of at most per records, each grouped by slip.
func chunkShipping(t *Tenant, label string, rows []Record, per int) []downloadFile {
	var files []downloadFile
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		files = append(files, downloadFile{label: fmt.Sprintf("%s_%03d", label, len(files)+1), body: shippingFile(t, part)})
	}
	return files
}

func shippingFile(t *Tenant, rows []Record) ActualShippingData {
	out := ActualShippingData{ActualShippingData: []ActualShipping{}}
	at := map[[3]string]int{}
	for _, r := range rows {
		key := [3]string{r.MovementSlipNo, r.BaseID, r.CounterBaseID}
		i, ok := at[key]
		if !ok {
			i = len(out.ActualShippingData)
			at[key] = i
			out.ActualShippingData = append(out.ActualShippingData, ActualShipping{
				TenantID: t.TenantID, MovementSlipNo: r.MovementSlipNo, BaseID: r.BaseID, CounterBaseID: r.CounterBaseID,
				Items: []ActualShippingItem{},
			})
		}
		it := r.Item
		out.ActualShippingData[i].Items = append(out.ActualShippingData[i].Items, ActualShippingItem{
			TrackingID: it.TrackingID, UID: it.UID, AutoIDType: it.AutoIDType, Path: it.Path, ItemCount: it.ItemCount,
			MovedDateTime: it.MovedDateTime, IndividualRecognitionCode: it.IndividualRecognitionCode,
			LargeClassAggregationKey: it.LargeClassAggregationKey, MiddleClassAggregationKey: it.MiddleClassAggregationKey,
			SmallClassAggregationKey: it.SmallClassAggregationKey, Detail: it.Detail,
		})
	}
	return out
}

// inactivePage answers GET /inactivetrackingids/download: without a cursor, the last 90 days.
func (s *store) inactivePage(t *Tenant, c *cursor) page {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueLocked()
	now := s.clock.Now()
	mode, after, snapshot, fileIndex := window(c, t.LastSeq)
	since := now.Add(-s.settings.InactiveLookback.D())
	var rows []InactiveTrackingID
	for _, in := range t.Inactivations {
		if in.Seq <= after || in.Seq > snapshot || (mode == processFull && in.At.Before(since)) {
			continue
		}
		rows = append(rows, InactiveTrackingID{TrackingID: in.TrackingID, InactivatedReasonCd: in.ReasonCd, InactivatedUpdatedAt: in.At.UTC().Format(microsLayout)})
	}
	var files []downloadFile
	per := s.settings.RecordsPerFile
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		files = append(files, downloadFile{label: fmt.Sprintf("%s_%d_%03d", mode, after, len(files)+1), body: InactiveTrackingIDs{InactiveTrackingIDs: part}})
	}
	return paginate(files, mode, after, snapshot, fileIndex, s.settings.URLsPerPage, t.TenantID, streamInactive, now)
}

// latestMaster returns the newest version of a master uploaded after since (any when nil)
// and by now; found is false for an unknown master.
func (s *store) latestMaster(t *Tenant, name string, since *time.Time) (version *MasterVersion, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	for _, m := range t.Masters {
		if m.Name != name {
			continue
		}
		var best *MasterVersion
		var bestAt time.Time
		for i := range m.Versions {
			v := &m.Versions[i]
			at, err := time.Parse(microsLayout, v.UploadedAt)
			if err != nil || at.After(now) || (since != nil && !at.After(*since)) {
				continue
			}
			if best == nil || at.After(bestAt) {
				best, bestAt = v, at
			}
		}
		if best == nil {
			return nil, true
		}
		copied := *best
		return &copied, true
	}
	return nil, false
}
