package conformance

// The rules an ICS2 client must keep, quoted from Tolletaten's "ICS2-forsendelser" page (the
// project's seed 001) and from Digdir's Maskinporten protocol pages where the token hop is
// concerned. Where the document implies a rule rather than states it, Gloss says so. IDs are
// stable: reports and CI filters use them.

const (
	ics2Doc       = "Tolletaten, ICS2-forsendelser (toll.github.io)"
	mpGrantDoc    = "Digdir, Maskinporten: JWT grant (docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant)"
	mpTokenDoc    = "Digdir, Maskinporten: /token endpoint (docs.digdir.no/docs/Maskinporten/maskinporten_protocol_token)"
	ics2AuthQuote = "Tjenestene er tilgjengelige over HTTPS, med autentisering via Maskinporten. … Scopet som benyttes for dette API-et er toll:movement/entry."
)

var (
	ruleICS2Auth1 = register(Rule{
		ID: "ICS2NO-AUTH-1", API: "ics2no", Kind: "auth",
		Title:  "every Maskinporten token comes from a new JWT grant as the protocol defines it (RS256/384/512, kid or x5c, aud, iss, exp at most 180 s after iat as Maskinporten takes it (the document says 120), a new jti, the scope)",
		Source: mpGrantDoc,
		Quote: "RS256, RS384 and RS512 are supported by Maskinporten. … Either ‘kid’ or ‘x5c’ must be present. … " +
			"The intended target for this JWT grant, ie. the identifier for Maskinporten. … Maximum 120 seconds allowed. (exp - iat <= 120 ) … " +
			"unique id for this jwt. NOTE: A JWT cannot be reused. … Whitepace-separated liste over scopes requested.",
		Gloss: "The grant is signed RS256, RS384 or RS512 and names its key (kid) or carries the business certificate (x5c); " +
			"aud is Maskinporten's issuer, iss the client_id, exp at most 120 s after iat (Maskinporten itself takes 180 s, which the suite accepts), and the scope Tolletaten's toll:movement/entry. " +
			"A grant cannot be reused: every token request carries a grant with a jti never sent before.",
	})
	ruleICS2Auth2 = register(Rule{
		ID: "ICS2NO-AUTH-2", API: "ics2no", Kind: "auth",
		Title:  "tokens are reused while they are valid and renewed through both hops once the Customs token has expired",
		Source: mpTokenDoc + "; " + ics2Doc,
		Quote:  "expires_in: Number of seconds until this access_token is no longer valid / " + ics2AuthQuote,
		Gloss: "A token says how long it lives. The suite's reading: the client uses its token until it expires, rather than " +
			"fetching one for every call; when the API refuses an expired token (401), the client gets a new one through both " +
			"hops (Maskinporten, then the exchange) and does not send the expired one again.",
	})
	ruleICS2Auth3 = register(Rule{
		ID: "ICS2NO-AUTH-3", API: "ics2no", Kind: "auth",
		Title:  "the API is called with the Customs token from the token exchange, never with the Maskinporten token",
		Source: ics2Doc + ", Autentisering; Tolletaten's Maskinporten pages (teknisk integrasjon)",
		Quote:  ics2AuthQuote,
		Gloss: "Authentication is through Maskinporten, scope toll:movement/entry. Tolletaten's Maskinporten pages add the flow " +
			"(paraphrased): get a Maskinporten token, exchange it for a token from Tolletaten at /api/access/external/oauth/token " +
			"(grant_type=token-exchange, subject_token_type=access_token, subject_token=the Maskinporten token), and call the API " +
			"with Tolletaten's token as Bearer.",
	})
	ruleICS2Idemp1 = register(Rule{
		ID: "ICS2NO-IDEMP-1", API: "ics2no", Kind: "idempotency",
		Title:  "a fresh requestId on every presentation call",
		Source: ics2Doc + ", Bruksflyt",
		Quote: "Ved å sende med requestId på alle kall vil du som konsument kunne sikre at en forsendelse kun fremlegges én gang. " +
			"Gjenbruk av samme requestId vil medføre valideringsfeil. Dette er kun en teknisk identifikasjon av hver enkelt tjenestekall.",
		Gloss: "Send a requestId on every call; it technically identifies each single call. Reusing a requestId is a validation " +
			"error, so each new presentation needs a new one (a retry of the same call keeps its own).",
	})
	ruleICS2Idemp2 = register(Rule{
		ID: "ICS2NO-IDEMP-2", API: "ics2no", Kind: "idempotency",
		Title:  "the same goods are never presented twice, not even by a retry after an ambiguous failure",
		Source: ics2Doc + ", Bruksflyt",
		Quote:  "Ved å sende med requestId på alle kall vil du som konsument kunne sikre at en forsendelse kun fremlegges én gang.",
		Gloss: "The requestId lets the consumer make sure a consignment is presented only once. The suite's reading: goods the " +
			"client presented are not presented again when it is asked to, and a retry after a failure that may have been " +
			"committed (a 503) carries the same requestId, so the upstream refuses it instead of presenting the goods twice.",
	})
	ruleICS2Status1 = register(Rule{
		ID: "ICS2NO-STATUS-1", API: "ics2no", Kind: "validation",
		Title:  "the validation status of every presentation is checked, and a FAILURE is reported",
		Source: ics2Doc + ", Bruksflyt",
		Quote:  "Status på alle requester kan hentes ut ved å bruke validation-statustjenesten. … Øvrige verdier vil gi valideringsfeil ved innsending.",
		Gloss: "The status of every request is read from validation-status. A presentation is validated after it is accepted; " +
			"values off the playground's list give a validation error there, which the client must report rather than take " +
			"the goods as presented.",
	})
	ruleICS2Route1 = register(Rule{
		ID: "ICS2NO-ROUTE-1", API: "ics2no", Kind: "routing",
		Title:  "routing is followed with marker (the last routingResult.id read), never re-read from the start",
		Source: ics2Doc + ", Bruksflyt",
		Quote:  "Ved å bruke marker som input kan du enkelt hente ut endringer siden forrige uthenting.",
		Gloss: "With marker as input you get the changes since the last read. The suite's reading: once the client has read a " +
			"signal, every later routing call carries the marker of the last one read, including the calls that page on.",
	})
	ruleICS2Route2 = register(Rule{
		ID: "ICS2NO-ROUTE-2", API: "ics2no", Kind: "routing",
		Title:  "goods are released only on TO_ENTRY and taken to control on TO_CONTROL",
		Source: ics2Doc + ", Om tjenesten",
		Quote: "Basert på resultatet fra dirigeringen skal sendingene som skal kontrolleres snarest overleveres til avtalt kontrollsted " +
			"dersom signalet TO_CONTROL mottas. Sendinger skal ikke utleveres før signalet TO_ENTRY er mottatt.",
		Gloss: "Consignments signalled TO_CONTROL go to the agreed control place at once. Consignments are not released before " +
			"TO_ENTRY is received; without a signal they are held.",
	})
)
