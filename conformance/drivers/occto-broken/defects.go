package main

import (
	"context"

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
	"fixed-plandivision": {
		"fetch with the keys the list gave: sends plandivision 01 (年間計画) for every plan",
		[]occtodriver.Option{occtodriver.WithTransport(fixedPlanDivision)}},
	"sjis-misread": {
		"read the XML in its declared encoding: reads every file as Shift_JIS",
		[]occtodriver.Option{occtodriver.WithTextDecoder(readAsShiftJIS)}},
	"skip-receipt-check": {
		"read the file's status after submitting: takes the register API's answer as acceptance",
		[]occtodriver.Option{occtodriver.WithSubmitter(registerOnly)}},
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

// registerOnly submits and reports acceptance at once, never reading the file's status.
func registerOnly(ctx context.Context, c *occtoclient.Client, fileName string, message []byte) (occtoclient.Submission, error) {
	no, err := c.Register(ctx, fileName, message)
	if err != nil {
		return occtoclient.Submission{}, err
	}
	return occtoclient.Submission{ReceptionNo: no, Status: occtoclient.StatusAccepted, StatusName: "受付完了"}, nil
}
