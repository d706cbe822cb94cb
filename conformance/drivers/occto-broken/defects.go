package main

import (
	"context"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/upmock/upmock/conformance/clients/occtoclient"
	"github.com/upmock/upmock/conformance/drivers/occtodriver"
)

// defect is one deliberately broken rule.
type defect struct {
	breaks  string
	options []occtodriver.Option
}

// defects are the names the suite's self-test selects with -defect.
var defects = map[string]defect{
	"receipt-without-credentials": {
		"userid and password on every call: leaves them out when fetching a receipt message (BA13B007)",
		[]occtodriver.Option{occtodriver.WithTransport(receiptWithoutCredentials)}},
	"no-client-cert": {
		"present the client certificate: ignores the clientCert and clientKey it was configured with",
		[]occtodriver.Option{occtodriver.WithSettings(func(s *occtodriver.Settings) { s.ClientCert, s.ClientKey = "", "" })}},
	"skip-server-verify": {
		"verify the server's certificate: accepts any server certificate (InsecureSkipVerify)",
		[]occtodriver.Option{occtodriver.WithTransport(skipServerVerify)}},
	"skip-hostname-check": {
		"verify the server's certificate: checks its chain against the CA given, not the host name",
		[]occtodriver.Option{occtodriver.WithTransport(skipHostnameCheck)}},
	"fixed-plandivision": {
		"fetch with the keys the list gave: sends plandivision 01 (年間計画) for every plan",
		[]occtodriver.Option{occtodriver.WithTransport(fixedPlanDivision)}},
	"sjis-misread": {
		"read the XML in its declared encoding: reads every file as Shift_JIS",
		[]occtodriver.Option{occtodriver.WithTextDecoder(readAsShiftJIS)}},
	"skip-receipt-check": {
		"read the file's status after submitting: takes the register API's answer as acceptance",
		[]occtodriver.Option{occtodriver.WithSubmitter(registerOnly)}},
	"errors-without-details": {
		"hand every receipt error to the caller whole: keeps each error's code and item, drops its value and message",
		[]occtodriver.Option{occtodriver.WithSubmitter(errorsWithoutDetails)}},
	"read-prefix": {
		"read answers whole: reads at most the first 64 KiB of every answer",
		[]occtodriver.Option{occtodriver.WithTransport(readPrefix)}},
	"processing-is-done": {
		"report 受付完了 only when the list says so: reads the status once and takes 01 処理中 as accepted",
		[]occtodriver.Option{occtodriver.WithSubmitter(processingIsDone)}},
	"ignore-resultcode": {
		"a non-0000 resultcode is a failure: reads a failed list call (HTTP 200) as an empty list",
		[]occtodriver.Option{occtodriver.WithTransport(ignoreResultcode)}},
	"hammer-on-limit": {
		"stop at the daily limit: calls again, five times, on 「API 上限回数を超えています」",
		[]occtodriver.Option{occtodriver.WithTransport(hammerOnLimit)}},
}

// readAsShiftJIS decodes a file as Shift_JIS whatever its declaration says, as a client
// written for Shift_JIS files only would.
func readAsShiftJIS(f occtoclient.File) (string, error) {
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(f.Data)
	return string(out), err
}

// errorsWithoutDetails submits as the reference does, then keeps only each error's code
// and item, as a client that maps the receipt message into a struct without ERR_VAL and
// ERR_MSG would.
func errorsWithoutDetails(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error) {
	sub, err := c.Submit(ctx, fileName, message)
	for i := range sub.Errors {
		sub.Errors[i].Value, sub.Errors[i].Message = "", ""
	}
	return sub, err
}

// processingIsDone registers, reads the receipt-file list once and reports any file that
// is not 提出エラー as 受付完了, as a client that checks only for errors would. A 提出エラー
// is handled as the reference does.
func processingIsDone(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error) {
	no, err := c.Register(ctx, fileName, message)
	if err != nil {
		return occtoclient.Submission{}, err
	}
	files, err := c.ListFiles(ctx, time.Now().AddDate(0, 0, -1))
	if err != nil {
		return occtoclient.Submission{ReceptionNo: no}, err
	}
	for _, f := range files {
		if f.ReceptionNo != no || f.Status != occtoclient.StatusError {
			continue
		}
		receipt, err := c.ReceiptMessage(ctx, no)
		return occtoclient.Submission{ReceptionNo: no, Status: f.Status, StatusName: f.StatusName, Errors: receipt.Errors}, err
	}
	return occtoclient.Submission{ReceptionNo: no, Status: occtoclient.StatusAccepted, StatusName: "受付完了"}, nil
}

// registerOnly submits and reports acceptance at once, never reading the file's status.
func registerOnly(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error) {
	no, err := c.Register(ctx, fileName, message)
	if err != nil {
		return occtoclient.Submission{}, err
	}
	return occtoclient.Submission{ReceptionNo: no, Status: occtoclient.StatusAccepted, StatusName: "受付完了"}, nil
}
