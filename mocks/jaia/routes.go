package jaia

// The route table is the catalogue's API list (fixtures/jaia/catalogue.json, manual §2): each
// API ID is an operationId of specs/jaia/openapi.yaml, generated from the same list by
// GenerateOpenAPI, and Operations maps every one to the engine (server.go).
