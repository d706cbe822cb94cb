package ics2no

import "net/http"

// Operations is the route table: every operationId of specs/ics2no/openapi.yaml.
func (m *Mock) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"postTokenExchange":          m.handleExchange,
		opHouseConsignment:           m.present(opHouseConsignment),
		opReceptacle:                 m.present(opReceptacle),
		opENS:                        m.present(opENS),
		"getValidationStatus":        m.handleStatus,
		"getHouseConsignmentRouting": m.handleRouting,
	}
}

// Operations is Maskinporten's route table.
func (m *Maskinporten) Operations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{"postToken": m.handleToken}
}
