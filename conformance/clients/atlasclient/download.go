package atlasclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// ShippingDownload is everything /items/download made available from a cursor on.
type ShippingDownload struct {
	Records []ActualShipping
	// Cursor is the last cursor served; pass it next time to get only what is new.
	Cursor string
}

// InactiveDownload is everything /inactivetrackingids/download made available.
type InactiveDownload struct {
	InactiveTrackingIDs []InactiveTrackingID
	Cursor              string
}

// DownloadShipping fetches shipping records from cursor on (nil: everything): every page
// of listings, every file of each page, merged in the order served. Records in the files
// for past months and for the current month may overlap; they are returned as served.
func (c *Client) DownloadShipping(ctx context.Context, cursor *string) (ShippingDownload, error) {
	records, last, err := downloadAll(ctx, c, "/items/download", cursor, func(data []byte) ([]ActualShipping, error) {
		var f shippingFile
		err := json.Unmarshal(data, &f)
		return f.ActualShippingData, err
	})
	return ShippingDownload{Records: records, Cursor: last}, err
}

// DownloadInactive fetches inactivated tracking IDs from cursor on (nil: the last 90 days).
func (c *Client) DownloadInactive(ctx context.Context, cursor *string) (InactiveDownload, error) {
	records, last, err := downloadAll(ctx, c, "/inactivetrackingids/download", cursor, func(data []byte) ([]InactiveTrackingID, error) {
		var f inactiveFile
		err := json.Unmarshal(data, &f)
		return f.InactiveTrackingIDs, err
	})
	return InactiveDownload{InactiveTrackingIDs: records, Cursor: last}, err
}

// listing is TagData and InactiveTrackingIdData: one page of download URLs.
type listing struct {
	URLs    []string `json:"urls"`
	Cursor  string   `json:"cursor"`
	HasNext bool     `json:"hasNext"`
}

// downloadAll follows the cursor while hasNext is true, decoding each file with decode.
func downloadAll[T any](ctx context.Context, c *Client, path string, cursor *string, decode func([]byte) ([]T, error)) ([]T, string, error) {
	var all []T
	last := ""
	if cursor != nil {
		last = *cursor
	}
	for {
		var page []T
		l, err := withFreshURLs(ctx, c,
			func() (listing, error) { return c.listing(ctx, path, cursor) },
			func(l listing) error {
				page = nil // a refreshed listing starts the page over
				for _, u := range l.URLs {
					data, err := c.fetch(ctx, u)
					if err != nil {
						return err
					}
					records, err := decode(data)
					if err != nil {
						return fmt.Errorf("atlasclient: decoding %s: %w", redactQuery(u), err)
					}
					page = append(page, records...)
				}
				return nil
			})
		if err != nil {
			return all, last, err
		}
		all = append(all, page...)
		if !l.HasNext {
			return all, l.Cursor, nil
		}
		if cursor != nil && l.Cursor == *cursor {
			return all, l.Cursor, fmt.Errorf("atlasclient: GET %s: hasNext with an unchanged cursor", path)
		}
		last = l.Cursor
		next := l.Cursor
		cursor = &next
	}
}

func (c *Client) listing(ctx context.Context, path string, cursor *string) (listing, error) {
	query := url.Values{}
	if cursor != nil {
		query.Set("cursor", *cursor)
	}
	var l listing
	err := c.getJSON(ctx, path, query, &l)
	return l, err
}
