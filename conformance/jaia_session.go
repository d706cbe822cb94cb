package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/upmock/upmock/conformance/driver"
)

// The login every JAIA spec configures: the manual's own sample login (AUTH_LOGIN's request
// sample), which upmock seeds as a site administrator (01) of company 1001.
const (
	jaiaUserMail = "test@jaia.jp"
	jaiaCompany  = "1001"
)

// jaiaRate is the call budget every JAIA spec configures: a scaled-down stand-in for the
// manual's 100 requests a minute, so that JAIA-RATE-1 needs about a second, not a minute.
// DRIVER.md asks the client to keep to it.
var jaiaRate = struct{ requests, windowMs int }{20, 1000}

// jaiaSession is a session whose driver is configured for JAIA with the seeded login.
type jaiaSession struct {
	*session
	baseURL string
	userID  string // the login's user ID, from the seeded credentials
}

// jaiaCredential is one login of GET /__upmock/credentials' jaia block.
type jaiaCredential struct {
	UserMail string `json:"userMail"`
	Password string `json:"password"`
	UserID   string `json:"userId"`
}

func newJaiaSession(ctx context.Context) *jaiaSession {
	GinkgoHelper()
	s := newSession(ctx, "jaia")
	creds, err := s.ctl.Credentials(ctx)
	Expect(err).NotTo(HaveOccurred(), "reading the seeded credentials")
	var block struct {
		Users []jaiaCredential `json:"users"`
	}
	Expect(creds.Decode("jaia", &block)).To(Succeed(), "decoding the JAIA credentials")
	var user *jaiaCredential
	for i, u := range block.Users {
		if u.UserMail == jaiaUserMail {
			user = &block.Users[i]
		}
	}
	Expect(user).NotTo(BeNil(), "upmock must seed the JAIA login %s; it seeded %+v", jaiaUserMail, block.Users)
	j := &jaiaSession{session: s, baseURL: s.serverURL + "/s/" + s.name + "/jaia", userID: user.UserID}
	_, derr := s.call(ctx, "configure", map[string]any{"jaia": map[string]any{
		"baseUrl":   j.baseURL,
		"userMail":  user.UserMail,
		"password":  user.Password,
		"rateLimit": map[string]int{"requests": jaiaRate.requests, "windowMs": jaiaRate.windowMs},
	}})
	Expect(derr).To(BeNil(), "the driver refused configure")
	return j
}

// jaiaStore is a valid store of the login's company: an 18-character JAIA code that starts
// with the company code, a start date in the past, no publish restriction.
func jaiaStore(code string) map[string]string {
	return map[string]string{
		"jaiaCode": code, "jaiaCompanyCode": jaiaCompany, "infoOpenStartDate": "20240101",
		"storeName": "コンフォーマンス店舗", "storeZipCode": "102-0074", "publishSetting": "01",
	}
}

// jaiaStores returns n stores whose codes are 1001 + tag (2 letters) + a 12-digit number.
func jaiaStores(tag string, n int) []map[string]string {
	out := make([]map[string]string, n)
	for i := range out {
		out[i] = jaiaStore(jaiaCode(tag, i))
	}
	return out
}

func jaiaCode(tag string, i int) string { return fmt.Sprintf("%s%s%012d", jaiaCompany, tag, i) }

// jaiaByCompany is a search condition every store of the login's company matches.
var jaiaByCompany = []map[string]any{{"columnName": "jaia_company_code", "value": jaiaCompany}}

// createStores asks the driver to create stores; it returns how many it says it created.
func (j *jaiaSession) createStores(ctx context.Context, stores []map[string]string) (int, *driver.Error) {
	GinkgoHelper()
	return j.createStoresWith(ctx, nil, stores)
}

// createStoresWith sends the fields every store shares once, as defaults (DRIVER.md).
func (j *jaiaSession) createStoresWith(ctx context.Context, defaults map[string]string, stores []map[string]string) (int, *driver.Error) {
	GinkgoHelper()
	params := map[string]any{"stores": stores}
	if defaults != nil {
		params["defaults"] = defaults
	}
	raw, derr := j.call(ctx, "jaia.createStores", params)
	if derr != nil {
		return 0, derr
	}
	var res struct {
		Created int `json:"created"`
	}
	Expect(json.Unmarshal(raw, &res)).To(Succeed(), "jaia.createStores must answer {\"created\": number}; it answered %s", raw)
	return res.Created, nil
}

// jaiaSearchResult is the answer of jaia.searchStores.
type jaiaSearchResult struct {
	Total  int                 `json:"total"`
	Stores []map[string]string `json:"stores"`
}

// searchStores asks the driver for every store of the login's company (all publish
// statuses), returning jaia_code; displayNumber 0 leaves the page size to the client.
func (j *jaiaSession) searchStores(ctx context.Context, displayNumber int) (jaiaSearchResult, *driver.Error) {
	GinkgoHelper()
	params := map[string]any{"conditions": jaiaByCompany, "columns": []string{"jaia_code", "store_name"}, "infoOpenStatus": "99"}
	if displayNumber > 0 {
		params["displayNumber"] = displayNumber
	}
	raw, derr := j.call(ctx, "jaia.searchStores", params)
	if derr != nil {
		return jaiaSearchResult{}, derr
	}
	var res jaiaSearchResult
	Expect(json.Unmarshal(raw, &res)).To(Succeed(),
		"jaia.searchStores must answer {\"total\": number, \"stores\": [object…]}; it answered %s", clip(string(raw), 300))
	return res, nil
}

// need fails the spec when an operation it builds on failed in the driver: the rule cannot
// be judged without it. The journal shows why.
func (j *jaiaSession) need(ctx context.Context, derr *driver.Error, what string) {
	GinkgoHelper()
	if derr == nil {
		return
	}
	Fail(fmt.Sprintf("%s failed in the driver (%s); the spec needs it to succeed.\nThe upstream saw:\n%s",
		what, describeDriverError(derr), indent(describeAll(j.journal(ctx)))))
}

// seedStores stores n stores of the login's company through the control API, so a spec
// about reading does not depend on the client's own creates (which other rules judge).
func (j *jaiaSession) seedStores(ctx context.Context, tag string, n int) []string {
	GinkgoHelper()
	return j.seedStoreRows(ctx, tag, n, nil)
}

// seedStoreRows is seedStores with each row (snake_case columns, as the state holds them)
// passed through edit before it is stored.
func (j *jaiaSession) seedStoreRows(ctx context.Context, tag string, n int, edit func(i int, row map[string]string)) []string {
	GinkgoHelper()
	var state map[string]any
	Expect(j.ctl.State(ctx, "jaia", &state)).To(Succeed(), "reading the JAIA state")
	masters, _ := state["masters"].(map[string]any)
	Expect(masters).NotTo(BeNil(), "the JAIA state has no masters")
	rows, _ := masters["store"].([]any)
	stamp := time.Now().UTC().Format("2006/01/02 15:04:05.000")
	codes := make([]string, n)
	for i := range codes {
		codes[i] = jaiaCode(tag, i)
		row := map[string]string{
			"jaia_code": codes[i], "jaia_company_code": jaiaCompany, "info_open_start_date": "20240101",
			"store_name": "シード店舗", "publish_setting": "01",
			"create_user": "SYSTEM", "create_date": stamp, "create_pgid": "SEED",
			"update_user": "SYSTEM", "update_date": stamp, "update_pgid": "SEED",
		}
		if edit != nil {
			edit(i, row)
		}
		rows = append(rows, row)
	}
	masters["store"] = rows
	Expect(j.ctl.PutState(ctx, "jaia", state)).To(Succeed(), "seeding %d stores", n)
	return codes
}

// storedStores reads the store master's rows from the JAIA state, by jaia_code.
func (j *jaiaSession) storedStores(ctx context.Context) map[string]map[string]string {
	GinkgoHelper()
	var state struct {
		Masters struct {
			Store []map[string]string `json:"store"`
		} `json:"masters"`
	}
	Expect(j.ctl.State(ctx, "jaia", &state)).To(Succeed(), "reading the JAIA state")
	out := make(map[string]map[string]string, len(state.Masters.Store))
	for _, row := range state.Masters.Store {
		out[row["jaia_code"]] = row
	}
	return out
}
