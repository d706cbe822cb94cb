package jaiaclient

import (
	"context"
	"encoding/json"
	"fmt"
)

// Condition is one searchConditions element: a snake_case column, a value (partial match; a
// date column compares YYYYMMDD by Operator) (§1-8).
type Condition struct {
	ColumnName string `json:"columnName"`
	Value      string `json:"value"`
	// Operator applies to date columns only: 0 =, 1 ≥, 2 ≤, 3 >, 4 <.
	Operator *int `json:"operator,omitempty"`
}

// Sort is one sortList element; SortType is "asc" or "desc".
type Sort struct {
	ColumnName string `json:"columnName"`
	SortType   string `json:"sortType"`
}

// The infoOpenStatus values (§1-8).
const (
	OpenProvisional = "02" // 仮登録
	OpenInUse       = "10" // 使用中, the upstream's default
	OpenEnded       = "20" // 使用終了
	OpenAll         = "99" // 全て
)

// Query is a search: conditions (ANDed, at least one), the columns to return (at least
// one), the order, the publish status and the page size (0: the maximum, 200).
type Query struct {
	Conditions     []Condition
	Columns        []string
	Sort           []Sort
	InfoOpenStatus string
	DisplayNumber  int
}

// Page is one search answer.
type Page struct {
	Total      int
	PageNumber int
	Rows       []map[string]string
}

// SearchResult is every page of a search.
type SearchResult struct {
	Total int
	Rows  []map[string]string
	Pages int // how many pages were requested
}

// Search returns every record q matches: it asks for page 0 and then the following pages
// until it has ⌈total ÷ displayNumber⌉ of them (§1-8), or a page comes back empty.
func (c *Client) Search(ctx context.Context, m Master, q Query) (SearchResult, error) {
	size := pageSize(q.DisplayNumber)
	var res SearchResult
	for page := 0; ; page++ {
		p, err := c.SearchPage(ctx, m, q, page)
		if err != nil {
			return res, err
		}
		res.Pages++
		res.Total = p.Total
		res.Rows = append(res.Rows, p.Rows...)
		if len(p.Rows) == 0 || (page+1)*size >= p.Total {
			return res, nil
		}
	}
}

// SearchPage asks for one page (0-based) of q.
func (c *Client) SearchPage(ctx context.Context, m Master, q Query, page int) (Page, error) {
	op := m.Select()
	if len(q.Conditions) == 0 || len(q.Columns) == 0 {
		return Page{}, fmt.Errorf("jaia %s: a search needs at least one condition and one column", op.APIID)
	}
	fields := map[string]any{
		"searchConditions": q.Conditions,
		"datasetList":      columnList(q.Columns),
		"displayNumber":    pageSize(q.DisplayNumber),
		"pageNumber":       page,
	}
	if len(q.Sort) > 0 {
		fields["sortList"] = q.Sort
	}
	if q.InfoOpenStatus != "" && m.publishes() {
		fields["infoOpenStatus"] = q.InfoOpenStatus
	}
	env, err := c.call(ctx, op, jsonBody(op, fields))
	if err != nil {
		return Page{}, err
	}
	if env.Total == nil {
		return Page{}, fmt.Errorf("jaia %s: %w: total", op.APIID, errNoPayload)
	}
	if env.PageNumber != nil && *env.PageNumber != page {
		return Page{}, fmt.Errorf("jaia %s: asked for page %d, the upstream answered page %d", op.APIID, page, *env.PageNumber)
	}
	p := Page{Total: *env.Total, PageNumber: page}
	if len(env.MetadataList) > 0 && string(env.MetadataList) != "null" {
		if err := json.Unmarshal(env.MetadataList, &p.Rows); err != nil {
			return Page{}, fmt.Errorf("jaia %s: metadataList: %w", op.APIID, err)
		}
	}
	return p, nil
}

func pageSize(n int) int {
	if n <= 0 || n > MaxDisplayNumber {
		return MaxDisplayNumber
	}
	return n
}

func columnList(columns []string) []map[string]string {
	out := make([]map[string]string, len(columns))
	for i, col := range columns {
		out[i] = map[string]string{"columnName": col}
	}
	return out
}

// publishes: company and user searches take no infoOpenStatus (§1-8).
func (m Master) publishes() bool { return m.Prefix != Company.Prefix && m.Prefix != User.Prefix }
