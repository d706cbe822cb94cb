package occto

import "net/http"

// Operations is the route table: every operationId of specs/occto/openapi.yaml (the API IDs
// of the seed's WebAPI一覧) and its handler. Paths live in the document; the core routes by
// them.
func (m *Mock) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"BA13B101": m.api(m.register), // 作業停止計画登録
		"BA13B103": m.api(m.planList), // 作業停止計画一覧取得
		"BA13B102": m.api(m.planFile), // 作業停止計画取得
		"BA13B006": m.api(m.fileList), // 作業停止計画受付ファイル一覧取得
		"BA13B007": m.api(m.receipt),  // 作業停止計画受信確認メッセージ取得
	}
}
