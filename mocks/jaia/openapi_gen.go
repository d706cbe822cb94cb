package jaia

import (
	"fmt"
	"sort"
	"strings"
)

// GenerateOpenAPI renders specs/jaia/openapi.yaml from the catalogue, so the document covers
// exactly the 58 APIs of §2. Request schemas are descriptive (the mock checks bodies itself, in
// the manual's words); response schemas are the envelope. TestOpenAPIIsGenerated keeps the
// committed file equal to this output (go test ./mocks/jaia -run TestOpenAPIIsGenerated -update).
func GenerateOpenAPI(c *Catalogue) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("openapi: 3.0.3")
	w("info:")
	w("  title: JAIA コードデータベースシステム API (upmock)")
	w("  version: 1.9.0")
	w("  description: Generated from fixtures/jaia/catalogue.json by mocks/jaia/openapi_gen.go; do not edit by hand.")
	w("servers:")
	w("  - url: https://api.jaiadb.com")
	w("paths:")
	byPath := map[string][]APIDef{}
	var paths []string
	for _, d := range c.APIs {
		if byPath[d.Path] == nil {
			paths = append(paths, d.Path)
		}
		byPath[d.Path] = append(byPath[d.Path], d)
	}
	sort.Strings(paths)
	for _, p := range paths {
		w("  %s:", p)
		for _, d := range byPath[p] {
			w("    %s:", strings.ToLower(d.Method))
			w("      operationId: %s", d.APIID)
			w("      summary: %q", d.Name)
			if d.Master != "" {
				w("      tags: [%s]", d.Master)
			} else {
				w("      tags: [common]")
			}
			w("      parameters:")
			w("        - {name: Authorization, in: header, required: false, schema: {type: string}, description: the criptToken from AUTH_LOGIN}")
			w("      requestBody:")
			w("        required: false")
			w("        content:")
			if strings.HasPrefix(d.Action, "import") {
				w("          multipart/form-data:")
				w("            schema: {$ref: '#/components/schemas/ImportRequest'}")
			} else {
				w("          application/json:")
				w("            schema: {$ref: '#/components/schemas/%s'}", requestSchema(d))
			}
			w("      responses:")
			if d.Action == "export_deleted" {
				w("        '200':")
				w("          description: the deleted rows as CSV; on an abnormal end (異常終了) the error envelope with code 500")
				w("          content:")
				w("            text/csv:")
				w("              schema: {type: string}")
				w("            application/json:")
				w("              schema: {$ref: '#/components/schemas/Error'}")
			} else {
				w("        '200': {$ref: '#/components/responses/%s'}", successResponse(d))
			}
			for _, code := range []string{"400", "401", "404", "429", "500"} {
				w("        '%s': {$ref: '#/components/responses/Error'}", code)
			}
		}
	}
	b.WriteString(components)
	return b.String()
}

func requestSchema(d APIDef) string {
	switch d.Action {
	case "login":
		return "LoginRequest"
	case "logout":
		return "LogoutRequest"
	case "codes":
		return "CodesRequest"
	case "select", "export_deleted":
		return "SearchRequest"
	}
	return "DatasetRequest"
}

func successResponse(d APIDef) string {
	switch d.Action {
	case "login":
		return "Login"
	case "select", "codes":
		return "Search"
	case "import_create", "import_update":
		return "Import"
	}
	return "Done"
}

const components = `components:
  schemas:
    LoginRequest:
      type: object
      properties:
        appId: {type: string, description: 固定文字列 EXTERNAL}
        userMail: {type: string}
        password: {type: string}
    LogoutRequest:
      type: object
      properties:
        userId: {type: string}
        appId: {type: string}
    Common:
      type: object
      properties:
        apiId: {type: string, description: the API ID of the operation}
        userId: {type: string, description: metadata.userId of AUTH_LOGIN}
        appId: {type: string, description: 固定文字列 EXTERNAL}
    CodesRequest:
      allOf:
        - {$ref: '#/components/schemas/Common'}
        - type: object
          properties:
            datasetList:
              type: array
              items:
                type: object
                properties:
                  codeId: {type: string}
                  codeKey: {type: string}
    DatasetRequest:
      allOf:
        - {$ref: '#/components/schemas/Common'}
        - type: object
          properties:
            dataset: {type: object, additionalProperties: true}
    SearchRequest:
      allOf:
        - {$ref: '#/components/schemas/Common'}
        - type: object
          properties:
            searchConditions:
              type: array
              items:
                type: object
                properties:
                  columnName: {type: string}
                  value: {type: string}
                  operator: {type: integer, minimum: 0, maximum: 4}
            datasetList:
              type: array
              items:
                type: object
                properties:
                  columnName: {type: string}
            sortList:
              type: array
              items:
                type: object
                properties:
                  columnName: {type: string}
                  sortType: {type: string, enum: [asc, desc]}
            infoOpenStatus: {type: string, enum: ['02', '10', '20', '99']}
            displayNumber: {type: integer, maximum: 200}
            pageNumber: {type: integer, minimum: 0}
    ImportRequest:
      type: object
      properties:
        body: {type: string, description: 'JSON: apiId, userId, appId, dataset {}'}
        file: {type: string, format: binary, description: the CSV (header row = the dataset keys)}
    RowError:
      type: object
      required: [row, message]
      properties:
        row: {type: integer}
        message: {type: string}
    Counts:
      type: object
      required: [total, success, error]
      properties:
        total: {type: integer}
        success: {type: integer}
        error: {type: integer}
        userInfo:
          type: array
          items:
            type: object
            required: [userMail, userId]
            properties:
              userMail: {type: string}
              userId: {type: string}
    Error:
      type: object
      required: [result, code, errorMessageList]
      additionalProperties: false
      properties:
        result: {type: integer, enum: [1]}
        code: {type: integer}
        errorMessageList:
          type: array
          minItems: 1
          items:
            oneOf:
              - {type: string}
              - {$ref: '#/components/schemas/RowError'}
        metadata: {$ref: '#/components/schemas/Counts'}
  responses:
    Error:
      description: result 1; HTTP status = code
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
    Done:
      description: result 0; metadata null (USER_CREATE {userId}, AUTH_LOGOUT {})
      content:
        application/json:
          schema:
            type: object
            required: [result, code, errorMessageList, metadata]
            additionalProperties: false
            properties:
              result: {type: integer, enum: [0]}
              code: {type: integer, enum: [200]}
              errorMessageList: {type: array, nullable: true, maxItems: 0, items: {type: string}}
              metadata:
                type: object
                nullable: true
                additionalProperties: false
                properties:
                  userId: {type: string}
    Login:
      description: result 0 and the token
      content:
        application/json:
          schema:
            type: object
            required: [result, code, errorMessageList, metadata]
            additionalProperties: false
            properties:
              result: {type: integer, enum: [0]}
              code: {type: integer, enum: [200]}
              errorMessageList: {type: array, nullable: true, maxItems: 0, items: {type: string}}
              metadata:
                type: object
                required: [userId, companyCategory, userClassification, criptToken, jaiaCompanyCode]
                properties:
                  userId: {type: string}
                  companyCategory: {type: string}
                  userClassification: {type: string}
                  criptToken: {type: string}
                  jaiaCompanyCode: {type: string}
    Search:
      description: result 0; total and pageNumber for searches; metadataList rows
      content:
        application/json:
          schema:
            type: object
            required: [result, code, errorMessageList, metadataList]
            additionalProperties: false
            properties:
              result: {type: integer, enum: [0]}
              code: {type: integer, enum: [200]}
              errorMessageList: {type: array, nullable: true, maxItems: 0, items: {type: string}}
              total: {type: integer, minimum: 0}
              pageNumber: {type: integer, minimum: 0}
              metadataList:
                type: array
                items: {type: object}
    Import:
      description: result 0 and the counts
      content:
        application/json:
          schema:
            type: object
            required: [result, code, errorMessageList, metadata]
            additionalProperties: false
            properties:
              result: {type: integer, enum: [0]}
              code: {type: integer, enum: [200]}
              errorMessageList: {type: array, nullable: true, maxItems: 0, items: {type: string}}
              metadata: {$ref: '#/components/schemas/Counts'}
`
