// Package atlasclient is the project's reference Go client of ATLAS-Things API v1
// (https://api.atlas-things.io/v1; upstream document: shared/seeds/003). It keeps every
// rule the upstream imposes on its clients, because the conformance suite judges other
// clients against the behaviour this one shows:
//
//   - Every API call carries X-ATLAS-API-Key and Authorization: the raw JWT, without
//     "Bearer". A new HS256 JWT whose payload is exactly {"requestDate":"YYYY-MM-DDThh:mm:ssZ"}
//     is minted for every HTTP attempt, since a token is valid for one minute only.
//   - Registration bodies carry every field of the request and of each item ("すべての項目を
//     含めて送信"); unset optional fields are sent as null, except the three
//     *ClassAggregationKey fields, which the upstream asks to be "" when unset. An item's
//     detail object is omitted when the caller set none.
//   - Each logical registration gets a fresh UUID v4 transactionId; single-item endpoints
//     receive exactly one item per call.
//   - 500, 503, 504, 429 and transport failures are retried with exponential back-off; other
//     4xx never are. A retried registration re-sends the same body with the same
//     transactionId, so a 400 with errorCode 200 on a retry means the earlier attempt was
//     committed, and counts as success.
//   - Download URLs (S3 presigned in production) are fetched with a plain GET without the
//     ATLAS headers; an expired URL (403) makes the client ask for a fresh listing once.
//     Listings are followed by cursor while hasNext is true.
//
// Errors from the upstream are *APIError values.
package atlasclient
