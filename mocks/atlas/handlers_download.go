package atlas

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/upmock/upmock/mocks/core"
)

// bucket is the mock's stand-in for the upstream's S3 download bucket.
const bucket = "atlas-things-download"

func (m *Mock) handleItemsDownload(w http.ResponseWriter, r *http.Request) {
	m.listing(w, r, streamItems, m.store.shippingPage)
}

func (m *Mock) handleInactiveDownload(w http.ResponseWriter, r *http.Request) {
	m.listing(w, r, streamInactive, m.store.inactivePage)
}

// listing answers both download listings: one page of presigned URLs, the cursor to pass
// next, and hasNext.
func (m *Mock) listing(w http.ResponseWriter, r *http.Request, stream string, pageOf func(*Tenant, *cursor) page) {
	key, authErr := m.authenticate(r)
	if authErr != nil {
		m.fail(w, r, authErr)
		return
	}
	if params := queryProblems(r); len(params) > 0 {
		m.fail(w, r, errInvalidInput.withParams(params...))
		return
	}
	var c *cursor
	if raw := r.URL.Query().Get("cursor"); raw != "" {
		var err error
		if c, err = decodeCursor(raw, key.tenant.TenantID, stream); err != nil {
			m.fail(w, r, errInvalidInput.withParams(InvalidParam{Name: "cursor", Reason: reasonInvalidFormat}))
			return
		}
	}
	p := pageOf(key.tenant, c)
	settings := m.store.currentSettings()
	list := DownloadList{URLs: []string{}, Cursor: p.cursor, HasNext: p.hasNext}
	folder := fmt.Sprintf("%s/%s/%s/%s", bucket, key.tenant.TenantID, stream, strings.ToLower(m.env.IDs.Hex(12)))
	for _, f := range p.files {
		content := jsonBody(f.body)
		list.URLs = append(list.URLs, m.env.Downloads.Put(core.PublicBase(r), Name, folder+"/"+f.label+".json", "application/json", content, settings.DownloadURLTTL.D()))
	}
	core.Annotate(r, "hasNext", fmt.Sprint(p.hasNext))
	writeJSON(w, http.StatusOK, jsonBody(list))
}

// handleLogCredentials hands out temporary credentials for the log bucket, valid one hour
// like an STS session.
func (m *Mock) handleLogCredentials(w http.ResponseWriter, r *http.Request) {
	if _, authErr := m.authenticate(r); authErr != nil {
		m.fail(w, r, authErr)
		return
	}
	creds := Credentials{
		AccessKeyID:     "ASIA" + strings.ToUpper(m.env.IDs.Hex(16)),
		SecretAccessKey: m.env.IDs.Hex(40),
		SessionToken:    "upmock/" + m.env.IDs.Hex(64),
		Expiration:      m.env.Clock.Now().UTC().Add(time.Hour).Format(requestDateLayout),
	}
	writeJSON(w, http.StatusOK, jsonBody(creds))
}

// handleMaster returns the URL of the newest master file (after lastDownloadDateTime when
// given), or {"url": null} when there is none newer.
func (m *Mock) handleMaster(w http.ResponseWriter, r *http.Request) {
	key, authErr := m.authenticate(r)
	if authErr != nil {
		m.fail(w, r, authErr)
		return
	}
	if params := queryProblems(r); len(params) > 0 {
		m.fail(w, r, errInvalidInput.withParams(params...))
		return
	}
	var since *time.Time
	if raw := r.URL.Query().Get("lastDownloadDateTime"); raw != "" {
		t, err := time.Parse(microsLayout, raw)
		if err != nil || !validMovedDateTime(raw) {
			m.fail(w, r, errInvalidInput.withParams(InvalidParam{Name: "lastDownloadDateTime", Reason: reasonInvalidFormat}))
			return
		}
		since = &t
	}
	name := masterName(r)
	version, found := m.store.latestMaster(key.tenant, name, since)
	if !found {
		m.fail(w, r, errMasterNotFound(name))
		return
	}
	answer := LatestMasterData{}
	if version != nil {
		contentType := version.ContentType
		if contentType == "" {
			contentType = "text/csv; charset=utf-8"
		}
		file := fmt.Sprintf("%s/download/%s/%s/%s", bucket, key.tenant.TenantID, name, version.FileName)
		url := m.env.Downloads.Put(core.PublicBase(r), Name, file, contentType, []byte(version.Content), m.store.currentSettings().DownloadURLTTL.D())
		answer.URL = &url
	}
	writeJSON(w, http.StatusOK, jsonBody(answer))
}

func masterName(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, BasePath+"/master/")
}
