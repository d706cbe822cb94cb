package atlas

import (
	"slices"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/upmock/upmock/mocks/core"
)

// inDocumentOrder sorts violations the way the upstream lists invalidParams: by the order the
// document gives the fields (the schema's required list), items by index. kin-openapi reports
// property errors alphabetically, which no real validator does.
func inDocumentOrder(operationID string, violations []core.Violation) []core.Violation {
	schema := requestSchema(operationID)
	if schema == nil {
		return violations
	}
	ranks := make([][]int, len(violations))
	for i, v := range violations {
		ranks[i] = fieldRank(schema, v.Pointer)
	}
	idx := make([]int, len(violations))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return slices.Compare(ranks[idx[a]], ranks[idx[b]]) < 0 })
	out := make([]core.Violation, len(violations))
	for i, j := range idx {
		out[i] = violations[j]
	}
	return out
}

func requestSchema(operationID string) *openapi3.Schema {
	route := API{}.Spec().Route(operationID)
	if route == nil || route.Operation.RequestBody == nil || route.Operation.RequestBody.Value == nil {
		return nil
	}
	media := route.Operation.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	return media.Schema.Value
}

// fieldRank is a pointer's position: at each level the property's place in the schema's
// required list (unlisted ones after), or the array index.
func fieldRank(schema *openapi3.Schema, pointer []string) []int {
	rank := make([]int, 0, len(pointer))
	for _, key := range pointer {
		if schema == nil {
			rank = append(rank, 0)
			continue
		}
		if n, err := strconv.Atoi(key); err == nil && schema.Items != nil {
			rank = append(rank, n)
			schema = schema.Items.Value
			continue
		}
		pos := slices.Index(schema.Required, key)
		if pos < 0 {
			pos = len(schema.Required)
		}
		rank = append(rank, pos)
		if prop := schema.Properties[key]; prop != nil {
			schema = prop.Value
		} else {
			schema = nil
		}
	}
	return rank
}
