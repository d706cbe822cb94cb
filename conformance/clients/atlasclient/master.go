package atlasclient

import (
	"context"
	"net/url"
)

// Master is the outcome of GetMaster.
type Master struct {
	// Found is false when the upstream had no newer master data ("url": null).
	Found bool
	// URL is the download URL the content came from.
	URL     string
	Content []byte
}

// GetMaster fetches the latest master data named name, only if newer than
// lastDownloadDateTime (YYYY-MM-DDThh:mm:ss.ffffffZ) when that is given.
func (c *Client) GetMaster(ctx context.Context, name string, lastDownloadDateTime *string) (Master, error) {
	query := url.Values{}
	if lastDownloadDateTime != nil {
		query.Set("lastDownloadDateTime", *lastDownloadDateTime)
	}
	var m Master
	_, err := withFreshURLs(ctx, c,
		func() (latestMasterData, error) {
			var l latestMasterData
			err := c.getJSON(ctx, "/master/"+url.PathEscape(name), query, &l)
			return l, err
		},
		func(l latestMasterData) error {
			if l.URL == nil || *l.URL == "" {
				m = Master{}
				return nil
			}
			content, err := c.fetch(ctx, *l.URL)
			m = Master{Found: err == nil, URL: *l.URL, Content: content}
			return err
		})
	return m, err
}

// latestMasterData is the upstream's LatestMasterData.
type latestMasterData struct {
	URL *string `json:"url"`
}
