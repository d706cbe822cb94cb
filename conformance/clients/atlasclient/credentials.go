package atlasclient

import "context"

// Credentials are temporary AWS credentials for uploading log files to the upstream's S3
// bucket. Expiration is passed through as served (the upstream's own sample is malformed).
type Credentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      string `json:"expiration"`
}

// LogCredentials issues log-upload credentials (GET /log/credentials).
func (c *Client) LogCredentials(ctx context.Context) (Credentials, error) {
	var creds Credentials
	err := c.getJSON(ctx, "/log/credentials", nil, &creds)
	return creds, err
}
