package conformance

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strings"

	"github.com/beevik/etree"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/control"
	"github.com/upmock/upmock/conformance/driver"
)

// occtoPollMs is how often the driver re-reads a 処理中 file's status in this run; the
// suite's sessions settle files at once, so it rarely matters.
const occtoPollMs = 20

// occtoCredentials are the seeded OCCTO users and the receiver a message addresses.
type occtoCredentials struct {
	Users    []occtoUser   `json:"users"`
	Receiver occtoReceiver `json:"receiver"`
}

type occtoUser struct {
	UserID      string `json:"userid"`
	Password    string `json:"password"`
	CompanyCode string `json:"companyCode"`
	CompanyName string `json:"companyName"`
}

type occtoReceiver struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	BPIDAgencyCode string `json:"bpidAgencyCode"`
}

// occtoSession is a session whose driver is configured for OCCTO with the first seeded user.
type occtoSession struct {
	*session
	baseURL string
	creds   occtoCredentials
	user    occtoUser
}

func newOcctoSession(ctx context.Context) *occtoSession {
	GinkgoHelper()
	o := openOcctoSession(ctx)
	o.configure(ctx, o.settings(o.baseURL, o.user.Password))
	return o
}

// openOcctoSession starts the session and reads the credentials, leaving configure to the
// spec.
func openOcctoSession(ctx context.Context) *occtoSession {
	GinkgoHelper()
	s := newSession(ctx, "occto")
	creds, err := s.ctl.Credentials(ctx)
	Expect(err).NotTo(HaveOccurred(), "reading the seeded credentials")
	var oc occtoCredentials
	Expect(creds.Decode("occto", &oc)).To(Succeed())
	Expect(oc.Users).NotTo(BeEmpty(), "upmock seeded no OCCTO user")
	return &occtoSession{session: s, baseURL: s.serverURL + "/s/" + s.name + "/occto", creds: oc, user: oc.Users[0]}
}

func (o *occtoSession) settings(baseURL, password string) map[string]any {
	return map[string]any{"baseUrl": baseURL, "userid": o.user.UserID, "password": password, "pollIntervalMs": occtoPollMs}
}

func (o *occtoSession) configure(ctx context.Context, settings map[string]any) {
	GinkgoHelper()
	_, derr := o.call(ctx, "configure", map[string]any{"occto": settings})
	Expect(derr).To(BeNil(), "the driver refused configure")
}

// op sends an occto op. A driver without OCCTO ops fails the spec, saying which op it
// lacks (select the APIs a driver implements with --label-filter).
func (o *occtoSession) op(ctx context.Context, op string, params any) (json.RawMessage, *driver.Error) {
	GinkgoHelper()
	raw, derr := o.call(ctx, op, params)
	if derr != nil && derr.Code == driver.CodeUnsupported {
		Fail(fmt.Sprintf("the driver does not implement %s (conformance/DRIVER.md, OCCTO operations)", op))
	}
	return raw, derr
}

// submitResult is the answer of occto.submit.
type submitResult struct {
	FileReceptionNo string `json:"filereceptionno"`
	Status          string `json:"status"`
	StatusName      string `json:"statusName"`
	Errors          []struct {
		Code, Item, Value, Message string
	} `json:"errors"`
}

func (o *occtoSession) submit(ctx context.Context, fileName, message string) (submitResult, *driver.Error) {
	GinkgoHelper()
	raw, derr := o.op(ctx, "occto.submit", map[string]string{"filename": fileName, "xml": message})
	var res submitResult
	if derr == nil {
		Expect(json.Unmarshal(raw, &res)).To(Succeed(),
			`occto.submit must answer {"filereceptionno", "status", "statusName", "errors"}; it answered %s`, raw)
	}
	return res, derr
}

// planResult is one plan of occto.listPlans or occto.fetchPlans.
type planResult struct {
	Division     string `json:"plandivision"`
	ReceptionNo  string `json:"occtoreceptionno"`
	FacilityName string `json:"facilityName"`
	EntryName    string `json:"entryName"`
	XML          string `json:"xml"`
}

func (o *occtoSession) plans(ctx context.Context, op string, params map[string]string) ([]planResult, *driver.Error) {
	GinkgoHelper()
	raw, derr := o.op(ctx, op, params)
	var res struct {
		Plans []planResult `json:"plans"`
	}
	if derr == nil {
		Expect(json.Unmarshal(raw, &res)).To(Succeed(), `%s must answer {"plans": […]}; it answered %s`, op, raw)
	}
	return res.Plans, derr
}

// patchSettings changes the session's OCCTO tunables.
func (o *occtoSession) patchSettings(ctx context.Context, patch map[string]any) {
	GinkgoHelper()
	Expect(o.ctl.PatchSettings(ctx, "occto", patch, nil)).To(Succeed(), "setting %v", patch)
}

// byOperation keeps the journal entries of one API ID.
func byOperation(entries []control.Entry, op string) []control.Entry {
	return filter(entries, func(e control.Entry) bool { return e.Operation == op })
}

// occtoForm is a journaled request's form (the journal redacts the password's value only).
func occtoForm(e control.Entry) url.Values {
	mediaType, params, _ := mime.ParseMediaType(e.Headers.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		v, _ := url.ParseQuery(e.Body)
		return v
	}
	out := url.Values{}
	mr := multipart.NewReader(strings.NewReader(e.Body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return out
		}
		data, _ := io.ReadAll(part)
		out.Add(part.FormName(), string(data))
	}
}

// occtoAccepted is OCCTO's success: resultcode 0000 (failures come with HTTP 200 too).
func occtoAccepted(e control.Entry) bool { return resultCode(e) == "0000" }

// resultCode is the resultcode upmock noted for the answer ("" when it never reached OCCTO).
func resultCode(e control.Entry) string { return e.Annotations["resultcode"] }

// answerFile decodes a journaled success: Base64 text of a ZIP holding one XML file.
func answerFile(e control.Entry) (*etree.Document, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(e.ResponseBody))
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) != 1 {
		return nil, errors.New("not one file")
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	doc := etree.NewDocument()
	_, err = doc.ReadFrom(rc)
	return doc, err
}

// listedKeys are the plan keys a journaled BA13B103 answer gave.
func listedKeys(e control.Entry) []string {
	doc, err := answerFile(e)
	if err != nil {
		return nil
	}
	var keys []string
	for _, p := range doc.FindElements("SBD-MSG/PLAN_INFO") {
		keys = append(keys, planKeyOf(p.SelectElement("PLANDIVISION").Text(), p.SelectElement("OCCTORECEPTIONNO").Text()))
	}
	return keys
}

func planKeyOf(division, no string) string {
	return fmt.Sprintf("plandivision=%s occtoreceptionno=%s", division, no)
}

// describeOcctoError renders a driver failure for the report.
func describeOcctoError(derr *driver.Error) string {
	if derr == nil {
		return "ok"
	}
	return "ok:false " + describeDriverError(derr)
}
