package core

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// secretMembers are JSON members in which upstreams issue secrets: OAuth tokens
// (Maskinporten, Customs, NACCS), JAIA's criptToken, ATLAS's temporary AWS credentials.
var secretMembers = map[string]bool{
	"access_token": true, "refresh_token": true, "id_token": true,
	"criptToken": true, "secretAccessKey": true, "sessionToken": true,
}

// secretQueryParams are query parameters that authenticate by themselves (Azure API
// Management's subscription-key, OAuth's bearer and client-secret parameters).
var secretQueryParams = map[string]bool{
	"subscription-key": true, "access_token": true, "client_secret": true, "password": true,
}

// RedactSecrets hides, for the journal, the secrets a JSON body carries in the members named
// by secretMembers (answers issuing tokens, requests handing them back): a JWT keeps its
// header and payload, anything else becomes REDACTED. The rest of the body
// stays byte for byte as sent.
func RedactSecrets(body []byte) []byte {
	// Cheap test first: nearly every answer names none of the members.
	if !bytes.Contains(body, []byte(`_token"`)) && !bytes.Contains(body, []byte(`Token"`)) && !bytes.Contains(body, []byte(`AccessKey"`)) {
		return body
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return body
	}
	var secrets []string
	collectSecrets(doc, &secrets)
	for _, s := range secrets {
		quoted, _ := json.Marshal(s)
		hidden, _ := json.Marshal(redactCredential(s))
		body = bytes.ReplaceAll(body, quoted, hidden)
	}
	return body
}

func collectSecrets(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, member := range v {
			if s, ok := member.(string); ok && secretMembers[k] && s != "" {
				*out = append(*out, s)
			} else {
				collectSecrets(member, out)
			}
		}
	case []any:
		for _, e := range v {
			collectSecrets(e, out)
		}
	}
}

// RedactQuery hides the values of secret query parameters, keeping the rest as sent.
func RedactQuery(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && secretQueryParams[strings.ToLower(name)] {
			parts[i], changed = k+"=REDACTED", true
		}
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}
