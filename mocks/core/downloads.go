package core

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DownloadsPrefix is where presigned download URLs are served, outside every API's base path,
// the way the real services hand out S3 URLs on another host.
const DownloadsPrefix = "/s3/"

const amzDate = "20060102T150405Z"

// Downloads is one session's store of files behind presigned, expiring URLs, checked the way
// S3 checks them: a signature over the key and validity, then the expiry against the clock.
type Downloads struct {
	clock  *Clock
	secret []byte

	mu      sync.Mutex
	objects map[string]download
	version uint64 // counts changes, so --state-dir saves the files only when they changed
}

type download struct {
	contentType string
	data        []byte
	expires     time.Time
}

// NewDownloads returns an empty store signing with secret.
func NewDownloads(clock *Clock, secret []byte) *Downloads {
	return &Downloads{clock: clock, secret: secret, objects: map[string]download{}}
}

// Put stores data as api's file name and returns a presigned URL below publicBase valid for
// ttl on the mock's clock. Expired objects are dropped here, so the store holds only what a
// client can still fetch. The key starts with the api, which the journal files the fetch under.
func (d *Downloads) Put(publicBase, api, name, contentType string, data []byte, ttl time.Duration) string {
	now := d.clock.Now()
	key := api + "/" + name
	d.mu.Lock()
	for k, o := range d.objects {
		if now.After(o.expires) {
			delete(d.objects, k)
		}
	}
	d.objects[key] = download{contentType: contentType, data: data, expires: now.Add(ttl)}
	d.version++
	d.mu.Unlock()

	date := now.UTC().Format(amzDate)
	expires := strconv.Itoa(int(ttl / time.Second))
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", "UPMOCKACCESSKEY/"+date[:8]+"/ap-northeast-1/s3/aws4_request")
	q.Set("X-Amz-Date", date)
	q.Set("X-Amz-Expires", expires)
	q.Set("X-Amz-SignedHeaders", "host")
	q.Set("X-Amz-Signature", d.sign(key, date, expires))
	return publicBase + DownloadsPrefix + escapeKey(key) + "?" + q.Encode()
}

func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func (d *Downloads) sign(key, date, expires string) string {
	mac := hmac.New(sha256.New, d.secret)
	fmt.Fprintf(mac, "%s\n%s\n%s", key, date, expires)
	return hex.EncodeToString(mac.Sum(nil))
}

// Reset drops every stored file.
func (d *Downloads) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.objects = map[string]download{}
	d.version++
}

// serve answers GET key?X-Amz-… like S3: 403 AccessDenied once expired, 403
// SignatureDoesNotMatch for a tampered URL, 404 NoSuchKey.
func (d *Downloads) serve(w http.ResponseWriter, r *http.Request, key string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeS3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.", key)
		return
	}
	q := r.URL.Query()
	date, expires, sig := q.Get("X-Amz-Date"), q.Get("X-Amz-Expires"), q.Get("X-Amz-Signature")
	signedAt, errDate := time.Parse(amzDate, date)
	seconds, errExp := strconv.Atoi(expires)
	if date == "" || expires == "" || sig == "" || errDate != nil || errExp != nil {
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Query-string authentication requires the X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters", key)
		return
	}
	if !hmac.Equal([]byte(sig), []byte(d.sign(key, date, expires))) {
		writeS3Error(w, http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", key)
		return
	}
	if d.clock.Now().After(signedAt.Add(time.Duration(seconds) * time.Second)) {
		writeS3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired", key)
		return
	}
	d.mu.Lock()
	obj, ok := d.objects[key]
	d.mu.Unlock()
	if !ok {
		writeS3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", key)
		return
	}
	w.Header().Set("Content-Type", obj.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(obj.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(obj.data)
	}
}

func writeS3Error(w http.ResponseWriter, status int, code, message, key string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><Key>%s</Key><RequestId>UPMOCK</RequestId></Error>", code, message, xmlEscape(key))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
