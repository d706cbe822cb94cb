// Package ics2no mocks Tolletaten's (the Norwegian Customs') ICS2 presentation and routing
// API in its playground (https://api-test.toll.no, seed 001 "ICS2-forsendelser") together
// with the two token hops in front of it: Maskinporten's /token (https://test.maskinporten.no,
// the JWT-bearer grant) and the Customs token exchange (/api/access/external/oauth/token).
// One package, two core.API values: API ("ics2no", /ics2no) and MaskinportenAPI
// ("maskinporten", /maskinporten). They share no state: the ICS2 side trusts Maskinporten's
// tokens by Maskinporten's public key, as the real service does.
//
// A client sees: Maskinporten refusing grants that break the protocol (algorithm, kid or
// x5c, aud, 180 s lifetime, iat at most 10 s ahead, replayed jti, unregistered scope) in OAuth's
// {error, error_description}; an exchange that gives a Customs token (RS512) only for a live
// Maskinporten token with toll:movement/entry; an API that takes only that token (RFC 6750
// challenges, as a Spring resource server writes them); presentations accepted with 202 and
// validated later against the playground's static list (the seed's eight rows, byte for
// byte in fixtures/ics2no/playground-static-list.txt), CL141 offices and CL754 types, the
// outcome read from validation-status (404 while processing); a reused requestId refused;
// routing signals (TO_CONTROL / TO_ENTRY as tabled) for presented house consignments only,
// paged with marker.
//
// Every expiry, processing delay and replay window follows the session clock. Decisions the
// sources leave open are in specs/ics2no/NOTES.md. Files: server.go and maskinporten.go (the
// two APIs and their instances), routes.go, maskinporten_grant.go (the grant), auth.go (the
// Customs token), validate.go, playground.go (the static list), store.go and
// maskinporten_store.go (the models), handlers_*.go, errors.go (the catalogues), wire.go.
package ics2no
