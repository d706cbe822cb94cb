// Package ics2noclient is the project's reference client of Tolletaten's ICS2 presentation
// and routing API and of the two token hops in front of it (Maskinporten's JWT grant, then
// the Customs token exchange). The conformance suite's ICS2 reference driver is built on it,
// and it keeps every rule the suite checks:
//
//   - a fresh JWT grant (new jti, iat now, exp within 120 s) for every Maskinporten token;
//   - the Customs token from the exchange on every API call, reused while it is valid and
//     renewed through both hops when it ends or the API answers 401;
//   - a fresh requestId for every presentation, the same one on a retry; goods it presented
//     are not presented again (Registry);
//   - the validation status of every presentation, awaited;
//   - routing read with the marker, never from the start again;
//   - goods released only on TO_ENTRY, taken to control on TO_CONTROL (Decide).
package ics2noclient
