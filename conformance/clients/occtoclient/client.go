package occtoclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// API paths below BaseURL, one per API ID of the upstream's WebAPI一覧.
const (
	PathRegister  = "/service/RP12/OCCTO/api/fileUpload/uploadBA13B101File"    // BA13B101 作業停止計画登録
	PathPlanFile  = "/service/RP12/OCCTO/api/fileDownload/getBA13B102File"     // BA13B102 作業停止計画取得
	PathPlanList  = "/service/RP12/OCCTO/api/listDownload/getBA13B103FileList" // BA13B103 作業停止計画一覧取得
	PathFileList  = "/service/RP12/OCCTO/api/listDownload/getBA13B006FileList" // BA13B006 受付ファイル一覧取得
	PathReceipt   = "/service/RP12/OCCTO/api/fileDownload/getBA13B007File"     // BA13B007 受信確認メッセージ取得
	maxErrorBytes = 64 << 10
)

// Client talks to OCCTO as one user. It is safe for concurrent use.
type Client struct {
	cfg Config

	mu       sync.Mutex
	limitDay string // the JST day (YYYY-MM-DD) the daily limit answered 2001, if any
}

// New returns a Client for cfg, with defaults for its zero fields.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

var jst = time.FixedZone("JST", 9*60*60)

func (c *Client) today() string { return c.cfg.Now().In(jst).Format(time.DateOnly) }

// call posts one API call: userid and password with params, form-encoded. It returns the
// answer's file, or an *APIError for any resultcode but 0000, or a *LimitError without
// calling when the daily limit was hit earlier today.
func (c *Client) call(ctx context.Context, api, path string, params url.Values) (File, error) {
	c.mu.Lock()
	blocked := c.limitDay != "" && c.limitDay == c.today()
	day := c.limitDay
	c.mu.Unlock()
	if blocked {
		return File{}, &LimitError{API: api, Day: day}
	}
	form := url.Values{"userid": {c.cfg.UserID}, "password": {c.cfg.Password}}
	for k, vs := range params {
		form[k] = vs
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return File{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return File{}, fmt.Errorf("occto %s: %w", api, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return File{}, fmt.Errorf("occto %s: reading the answer: %w", api, err)
	}
	code := res.Header.Get("resultcode")
	if code != CodeOK {
		apiErr := &APIError{API: api, HTTPStatus: res.StatusCode, ResultCode: code, Message: errorMessage(body)}
		if errors.Is(apiErr, ErrDailyLimit) {
			c.mu.Lock()
			c.limitDay = c.today()
			c.mu.Unlock()
		}
		return File{}, apiErr
	}
	f, err := unpack(body)
	if err != nil {
		return File{}, fmt.Errorf("occto %s: %w", api, err)
	}
	return f, nil
}

// errorMessage is the error XML's RESULT_MSG, or the start of the body.
func errorMessage(body []byte) string {
	if doc, err := parseXML(body); err == nil {
		if e := doc.FindElement("//RESULT_MSG"); e != nil {
			return e.Text()
		}
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return strings.TrimSpace(string(body))
}
