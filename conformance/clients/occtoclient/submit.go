package occtoclient

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Receipt statuses (計画受付ステータス).
const (
	StatusProcessing = "01" // 処理中
	StatusAccepted   = "02" // 受付完了
	StatusError      = "09" // 提出エラー
)

// Register is BA13B101: it sends one message and returns the FILERECEPTIONNO the upstream
// gave the file. Receipt is not acceptance: read the outcome with ListFiles.
func (c *Client) Register(ctx context.Context, fileName string, message []byte) (string, error) {
	params := url.Values{"file": {string(message)}}
	if fileName != "" {
		params.Set("filename", fileName)
	}
	f, err := c.call(ctx, "BA13B101", PathRegister, params)
	if err != nil {
		return "", err
	}
	doc, err := f.Document()
	if err != nil {
		return "", fmt.Errorf("occto BA13B101: %s: %w", f.Name, err)
	}
	e := doc.FindElement("SBD-MSG/SBMIT_RSLT/FILERECEPTIONNO")
	if e == nil || e.Text() == "" {
		return "", fmt.Errorf("occto BA13B101: %s names no FILERECEPTIONNO", f.Name)
	}
	return e.Text(), nil
}

// FileStatus is one entry of the receipt-file list (BA13B006).
type FileStatus struct {
	ReceptionNo string
	Name        string
	Status      string // 01 処理中, 02 受付完了, 09 提出エラー
	StatusName  string
	PlanCount   int
	ErrorCount  int
}

// ListFiles is BA13B006: every file the company submitted, with its status.
func (c *Client) ListFiles(ctx context.Context, from time.Time) ([]FileStatus, error) {
	f, err := c.call(ctx, "BA13B006", PathFileList, ListOptions{From: from}.params())
	if err != nil {
		return nil, err
	}
	doc, err := f.Document()
	if err != nil {
		return nil, fmt.Errorf("occto BA13B006: %s: %w", f.Name, err)
	}
	var out []FileStatus
	for _, e := range doc.FindElements("SBD-MSG/FILE_INFO") {
		plans, _ := strconv.Atoi(childText(e, "PLAN_CNT"))
		errs, _ := strconv.Atoi(childText(e, "ERR_CNT"))
		out = append(out, FileStatus{
			ReceptionNo: childText(e, "FILERECEPTIONNO"), Name: childText(e, "FILE_NM"),
			Status: childText(e, "PLAN_RECPT_STAT"), StatusName: childText(e, "PLAN_RECPT_STAT_NM"),
			PlanCount: plans, ErrorCount: errs,
		})
	}
	return out, nil
}

// ReceiptError is one error of a 受信確認メッセージ: the element it concerns and why.
type ReceiptError struct {
	Code    string `json:"code"`
	Item    string `json:"item"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// Receipt is a file's 受信確認メッセージ (BA13B007).
type Receipt struct {
	ReceptionNo string
	Status      string
	StatusName  string
	Errors      []ReceiptError
}

// ReceiptMessage is BA13B007 for one file.
func (c *Client) ReceiptMessage(ctx context.Context, fileReceptionNo string) (Receipt, error) {
	f, err := c.call(ctx, "BA13B007", PathReceipt, url.Values{"filereceptionno": {fileReceptionNo}})
	if err != nil {
		return Receipt{}, err
	}
	doc, err := f.Document()
	if err != nil {
		return Receipt{}, fmt.Errorf("occto BA13B007: %s: %w", f.Name, err)
	}
	msg := doc.FindElement("SBD-MSG/RECPT_MSG")
	if msg == nil {
		return Receipt{}, fmt.Errorf("occto BA13B007: %s holds no RECPT_MSG", f.Name)
	}
	r := Receipt{ReceptionNo: childText(msg, "FILERECEPTIONNO"), Status: childText(msg, "PLAN_RECPT_STAT"),
		StatusName: childText(msg, "PLAN_RECPT_STAT_NM")}
	for _, e := range msg.SelectElements("ERR_INFO") {
		r.Errors = append(r.Errors, ReceiptError{Code: childText(e, "ERR_CD"), Item: childText(e, "ERR_ITEM"),
			Value: childText(e, "ERR_VAL"), Message: childText(e, "ERR_MSG")})
	}
	return r, nil
}

// Submission is the outcome of Submit.
type Submission struct {
	ReceptionNo string
	Status      string
	StatusName  string
	// Errors are the 提出エラー's reasons from the 受信確認メッセージ.
	Errors []ReceiptError
}

// Submit registers a message and reads its outcome the way the upstream intends: the
// file's status from the receipt-file list (polled while 処理中), and, for 提出エラー, the
// reasons from its 受信確認メッセージ.
func (c *Client) Submit(ctx context.Context, fileName string, message []byte) (Submission, error) {
	// Files are listed from the day before today (JST), which tolerates a server clock a
	// little behind this one without listing the company's whole history.
	y, m, d := c.cfg.Now().In(jst).Date()
	from := time.Date(y, m, d-1, 0, 0, 0, 0, jst)
	no, err := c.Register(ctx, fileName, message)
	if err != nil {
		return Submission{}, err
	}
	deadline := time.Now().Add(c.cfg.PollTimeout)
	for {
		files, err := c.ListFiles(ctx, from)
		if err != nil {
			return Submission{ReceptionNo: no}, err
		}
		st, found := findFile(files, no)
		if found && st.Status != StatusProcessing {
			sub := Submission{ReceptionNo: no, Status: st.Status, StatusName: st.StatusName}
			if st.Status == StatusError {
				receipt, err := c.ReceiptMessage(ctx, no)
				if err != nil {
					return sub, err
				}
				sub.Errors = receipt.Errors
			}
			return sub, nil
		}
		if time.Now().After(deadline) {
			return Submission{ReceptionNo: no, Status: st.Status}, fmt.Errorf("occto: file %s is still 処理中 after %s", no, c.cfg.PollTimeout)
		}
		select {
		case <-ctx.Done():
			return Submission{ReceptionNo: no}, ctx.Err()
		case <-time.After(c.cfg.PollInterval):
		}
	}
}

func findFile(files []FileStatus, no string) (FileStatus, bool) {
	for _, f := range files {
		if f.ReceptionNo == no {
			return f, true
		}
	}
	return FileStatus{}, false
}
