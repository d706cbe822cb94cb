package jaiaclient

import (
	"context"
	"encoding/json"
	"fmt"
)

// CodeQuery asks for one code list (codeId, e.g. PUBLISH_SETTING), or one code of it.
type CodeQuery struct {
	CodeID  string `json:"codeId"`
	CodeKey string `json:"codeKey,omitempty"`
}

// Code is one row of CODES_SELECT's metadataList.
type Code struct {
	CodeID     string  `json:"codeId"`
	CodeName   string  `json:"codeName"`
	CodeKey    string  `json:"codeKey"`
	CodeValue1 *string `json:"codeValue1"`
	CodeValue2 *string `json:"codeValue2"`
	CodeValue3 *string `json:"codeValue3"`
	CodeValue4 *string `json:"codeValue4"`
	CodeValue5 *string `json:"codeValue5"`
	Sort       int     `json:"sort"`
}

// Codes is CODES_SELECT (POST /codes): the code master rows of the queried code IDs.
func (c *Client) Codes(ctx context.Context, queries ...CodeQuery) ([]Code, error) {
	op := CodesSelect
	if len(queries) == 0 {
		return nil, fmt.Errorf("jaia %s: no code ID given", op.APIID)
	}
	env, err := c.call(ctx, op, jsonBody(op, map[string]any{"datasetList": queries}))
	if err != nil {
		return nil, err
	}
	var codes []Code
	if len(env.MetadataList) > 0 && string(env.MetadataList) != "null" {
		if err := json.Unmarshal(env.MetadataList, &codes); err != nil {
			return nil, fmt.Errorf("jaia %s: metadataList: %w", op.APIID, err)
		}
	}
	return codes, nil
}
