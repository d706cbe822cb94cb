package atlasclient

import (
	"testing"
)

func TestNewAPIErrorReadsEveryErrorShape(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		code    string
		message string
		text    string
	}{
		{"integer errorCode", 400, `{"title":"BadRequest","errorCode":100,"detail":"invalid input value.","traceId":"t1","invalidParams":[{"name":"uid","reason":"must be required."}]}`,
			"100", "", "atlas: 400 errorCode 100: invalid input value. [uid: must be required.]"},
		{"string errorCode", 503, `{"title":"ServiceUnavailable","errorCode":"901","detail":"system maintenance.","traceId":"","invalidParams":[]}`,
			"901", "", "atlas: 503 errorCode 901: system maintenance."},
		{"API Gateway message", 403, `{"message":"Forbidden"}`, "", "Forbidden", "atlas: 403: Forbidden"},
		{"S3 XML", 403, expiredXML, "", "AccessDenied: Request has expired", "atlas: 403: AccessDenied: Request has expired"},
		{"plain text", 502, "Bad Gateway\n", "", "Bad Gateway", "atlas: 502: Bad Gateway"},
		{"empty", 500, "", "", "", "atlas: 500: Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIError(tt.status, []byte(tt.body))
			if e.Status != tt.status || e.ErrorCode != tt.code || e.Message != tt.message || e.Error() != tt.text {
				t.Fatalf("got %+v %q", *e, e.Error())
			}
		})
	}
}

func TestNewRejectsIncompleteConfig(t *testing.T) {
	for _, cfg := range []Config{
		{APIKey: "k", APISecret: "s"},
		{BaseURL: "relative/path", APIKey: "k", APISecret: "s"},
		{BaseURL: "http://h/v1", APISecret: "s"},
		{BaseURL: "http://h/v1", APIKey: "k"},
	} {
		if _, err := New(cfg); err == nil {
			t.Fatalf("New(%+v) succeeded", cfg)
		}
	}
}
