#!/usr/bin/env python3
"""Conformance driver for ATLAS-Things in Python 3, standard library only.

Speaks the protocol of conformance/DRIVER.md on stdin/stdout (one JSON object per line)
and keeps the same client rules as the Go reference client (conformance/clients/atlasclient):

* every API call carries X-ATLAS-API-Key and Authorization: the raw HS256 JWT whose payload
  is exactly {"requestDate": "YYYY-MM-DDThh:mm:ssZ"}, minted anew for every attempt;
* registrations carry every field, null when unset (the three *ClassAggregationKey fields
  "" when unset, as the upstream asks); detail is omitted when the caller set none;
* a fresh UUID v4 transactionId per registration, one item per call in single mode;
* 500/503/504/429 and transport failures are retried with exponential back-off, other
  4xx never; a retry re-sends the same body, and 400/errorCode 200 on a retry is success;
* download URLs are fetched with a plain GET without the ATLAS headers, an expired URL
  (403) makes it ask for a new listing once, and listings are followed while hasNext.

Logs go to stderr, which the suite copies into the spec's report.
"""

import base64
import hashlib
import hmac
import http.client
import json
import random
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

RETRYABLE_STATUSES = {500, 503, 504, 429}
DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_BASE_DELAY = 0.5
MAX_DELAY = 30.0
ATTEMPT_TIMEOUT = 20.0  # seconds; well inside the suite's 30 s per op
OP_BUDGET = 28.0  # stop retrying before the suite gives up on the driver
TRANSACTION_REGISTERED = "200"

ITEM_NULLABLE = ("individualRecognitionCode",)
ITEM_EMPTY_WHEN_UNSET = (
    "largeClassAggregationKey",
    "middleClassAggregationKey",
    "smallClassAggregationKey",
)
DETAIL_FIELDS = (
    ["linkId", "linkCode1", "linkCode2", "linkCode3"]
    + ["category%d" % i for i in range(1, 6)]
    + ["attribute%d" % i for i in range(1, 10)]
)


def log(message):
    print("atlas-python: " + message, file=sys.stderr, flush=True)


class DriverError(Exception):
    """A failure reported to the suite as ok:false."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code
        self.attempts = 1  # how many attempts the failed call made

    def to_wire(self):
        wire = {"message": self.message}
        if self.status:
            wire["status"] = self.status
        if self.code:
            wire["code"] = self.code
        return wire


class URLExpired(DriverError):
    """A download URL answered 403: an S3 presigned URL past its one hour."""


def api_error(status, body):
    """Reads ProblemDetails, API Gateway's {"message"} or any other error body."""
    text = body.decode("utf-8", "replace").strip()
    code, detail = None, None
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        raw = doc.get("errorCode")
        # errorCode is an integer, but the upstream's maintenance sample sends "901".
        code = None if raw is None else str(raw).strip()
        detail = doc.get("detail") or doc.get("message")
    elif text:
        detail = text[:200]
    message = "atlas: %d" % status
    if code:
        message += " errorCode %s" % code
    message += ": %s" % (detail or http.client.responses.get(status, "error"))
    return DriverError(message, status=status, code=code)


def mint_jwt(secret, now=None):
    """HS256 over {"requestDate": now in UTC to the second}, signed with the API secret."""

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    request_date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64(json.dumps({"requestDate": request_date}, separators=(",", ":")).encode())
    signing_input = header + b"." + payload
    signature = b64(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
    return (signing_input + b"." + signature).decode()


def backoff(base, n):
    """base x 2^n capped, plus up to 10 % jitter that only ever adds."""
    delay = min(base * (2 ** n), MAX_DELAY)
    return delay + random.uniform(0, delay / 10)


class AtlasClient:
    def __init__(self, settings):
        self.base_url = str(settings.get("baseUrl") or "").rstrip("/")
        if not self.base_url:
            raise DriverError("configure: atlas.baseUrl is required")
        self.api_key = settings.get("apiKey") or ""
        self.api_secret = settings.get("apiSecret") or ""
        retry = settings.get("retry") or {}
        self.max_attempts = int(retry.get("maxAttempts") or DEFAULT_MAX_ATTEMPTS)
        delay_ms = retry.get("baseDelayMs")
        self.base_delay = delay_ms / 1000.0 if delay_ms else DEFAULT_BASE_DELAY
        # No proxies from the environment: the mock is on loopback. urllib opens a
        # connection per request, so no request is ever re-sent behind our back.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # --- HTTP -------------------------------------------------------------------------

    def _attempt(self, method, url, body, signed):
        headers = {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if signed:
            headers["X-ATLAS-API-Key"] = self.api_key
            headers["Authorization"] = mint_jwt(self.api_secret)  # fresh per attempt
            headers["Accept"] = "application/json"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=ATTEMPT_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.read()

    def _send(self, method, url, body, signed, deadline):
        """Performs one logical request with retries; returns (status, body, attempts)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                status, data = self._attempt(method, url, body, signed)
                failure, reason = None, "status %d" % status
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                    socket.timeout, OSError) as err:
                status, data, failure, reason = None, b"", err, str(err)
            transient = failure is not None or status in RETRYABLE_STATUSES
            if not transient or attempt >= self.max_attempts:
                break
            wait = backoff(self.base_delay, attempt - 1)
            if time.monotonic() + wait > deadline:
                break
            log("retrying %s %s after attempt %d of %d (%s) in %.3fs"
                % (method, url.split("?")[0], attempt, self.max_attempts, reason, wait))
            time.sleep(wait)
        if failure is not None:
            raise DriverError("atlas: %s %s: %s" % (method, url.split("?")[0], failure))
        return status, data, attempt

    def _call(self, method, path, deadline, query=None, body=None):
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        status, data, attempts = self._send(method, url, body, True, deadline)
        if not 200 <= status < 300:
            error = api_error(status, data)
            error.attempts = attempts
            raise error
        return data

    def _get_json(self, path, deadline, query=None):
        data = self._call("GET", path, deadline, query=query)
        return json.loads(data.decode("utf-8"))

    def _fetch(self, url, deadline):
        """GETs a download URL without the ATLAS headers, as the upstream requires."""
        url = urllib.parse.urljoin(self.base_url + "/", url)
        status, data, _ = self._send("GET", url, None, False, deadline)
        if status == 403:
            raise URLExpired("download URL expired: " + api_error(status, data).message, status=403)
        if not 200 <= status < 300:
            raise api_error(status, data)
        return data

    def _with_fresh_urls(self, list_page, work):
        """Runs work on a listing, and once more on a new listing if a URL had expired."""
        try:
            page = list_page()
            return page, work(page)
        except URLExpired:
            log("download URL expired; requesting a new listing")
        page = list_page()
        return page, work(page)

    # --- operations -------------------------------------------------------------------

    def register(self, flow, params, deadline):
        mode = params.get("mode")
        if mode not in ("single", "bulk"):
            raise DriverError('registration params: mode must be "single" or "bulk", not %r' % mode)
        items = params.get("items") or []
        if not items:
            raise DriverError("registration has no items")
        if mode == "bulk":
            self._send_registration("/%s/items" % flow, params, items, deadline)
            return {}
        for index, item in enumerate(items):  # the single endpoints take one item
            try:
                self._send_registration("/%s/item" % flow, params, [item], deadline)
            except DriverError as err:
                if len(items) > 1:
                    err.message = "item %d of %d (trackingId %r), earlier items were accepted: %s" % (
                        index + 1, len(items), item.get("trackingId"), err.message)
                raise
        return {}

    def _send_registration(self, path, params, items, deadline):
        transaction_id = str(uuid.uuid4())
        body = json.dumps(registration_body(transaction_id, params, items),
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self._call("POST", path, deadline, body=body)
        except DriverError as err:
            # A retry re-sends the same transactionId, so "already registered" on a retry
            # means an earlier attempt was committed.
            if err.status == 400 and err.code == TRANSACTION_REGISTERED and err.attempts > 1:
                log("transactionId %s: an earlier attempt was committed" % transaction_id)
                return
            raise

    def download(self, path, records_key, cursor, deadline):
        records, last = [], cursor or ""
        while True:
            query = {"cursor": cursor} if cursor is not None else None

            def list_page():
                return self._get_json(path, deadline, query)

            def fetch_files(page):
                fetched = []
                for url in page.get("urls") or []:
                    doc = json.loads(self._fetch(url, deadline).decode("utf-8"))
                    fetched.extend(doc.get(records_key) or [])
                return fetched

            page, fetched = self._with_fresh_urls(list_page, fetch_files)
            records.extend(fetched)
            last = page.get("cursor") or ""
            if not page.get("hasNext"):
                return records, last
            if cursor is not None and last == cursor:
                raise DriverError("atlas: GET %s: hasNext with an unchanged cursor" % path)
            cursor = last

    def get_master(self, name, last_download, deadline):
        query = {"lastDownloadDateTime": last_download} if last_download is not None else None
        path = "/master/" + urllib.parse.quote(name or "", safe="")

        def fetch_content(listing):
            url = listing.get("url")
            return None if not url else self._fetch(url, deadline)

        _, content = self._with_fresh_urls(lambda: self._get_json(path, deadline, query), fetch_content)
        if content is None:
            return {"found": False, "content": ""}
        return {"found": True, "content": content.decode("utf-8", "replace")}

    def log_credentials(self, deadline):
        return self._get_json("/log/credentials", deadline)


def registration_body(transaction_id, params, items):
    """Every field in the upstream's order; unset ones null (aggregation keys "")."""
    return {
        "transactionId": transaction_id,
        "movementSlipNo": params.get("movementSlipNo"),
        "baseId": params.get("baseId"),
        "counterBaseId": params.get("counterBaseId"),
        "targetPath": params.get("targetPath"),
        "items": [wire_item(item) for item in items],
    }


def wire_item(item):
    wire = {key: item.get(key) for key in
            ("trackingId", "uid", "autoIdType", "path", "itemCount", "movedDateTime")}
    for key in ITEM_NULLABLE:
        wire[key] = item.get(key)
    for key in ITEM_EMPTY_WHEN_UNSET:
        wire[key] = "" if item.get(key) is None else item[key]
    wire["isInactivated"] = bool(item.get("isInactivated") or False)
    auto = item.get("autoInactive")
    wire["autoInactive"] = None if auto is None else {
        "isAutoInactivated": bool(auto.get("isAutoInactivated") or False),
        "targetParentPath": auto.get("targetParentPath"),
        "elapsedDays": auto.get("elapsedDays"),
    }
    detail = item.get("detail")
    if detail is not None:  # omitted when the caller set none
        wire["detail"] = {key: detail.get(key) for key in DETAIL_FIELDS}
    return wire


class Driver:
    """Dispatches the protocol's ops to an AtlasClient made by configure."""

    def __init__(self):
        self.client = None
        self.ops = {
            "atlas.registerShipping": lambda c, p, d: c.register("shipping", p, d),
            "atlas.registerReceiving": lambda c, p, d: c.register("receiving", p, d),
            "atlas.downloadShipping": self.download_shipping,
            "atlas.downloadInactive": self.download_inactive,
            "atlas.getMaster": lambda c, p, d: c.get_master(p.get("name"), p.get("lastDownloadDateTime"), d),
            "atlas.getLogCredentials": lambda c, p, d: c.log_credentials(d),
        }

    def handle(self, op, params):
        if op == "configure":
            atlas = params.get("atlas")  # a spec using other APIs only leaves it unset
            self.client = AtlasClient(atlas) if atlas is not None else None
            return {}
        perform = self.ops.get(op)
        if perform is None:
            raise DriverError("op %r is not supported by this driver" % op, code="unsupported")
        if self.client is None:
            raise DriverError("atlas is not configured: send configure with an atlas block first")
        return perform(self.client, params, time.monotonic() + OP_BUDGET)

    @staticmethod
    def download_shipping(client, params, deadline):
        records, cursor = client.download("/items/download", "actualShippingData", params.get("cursor"), deadline)
        return {"records": records, "cursor": cursor}

    @staticmethod
    def download_inactive(client, params, deadline):
        records, cursor = client.download("/inactivetrackingids/download", "inactiveTrackingIds",
                                          params.get("cursor"), deadline)
        return {"inactiveTrackingIds": records, "cursor": cursor}

    def answer(self, line):
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not request.get("op"):
                raise ValueError("missing op")
        except ValueError as err:
            return {"id": 0, "ok": False, "error": {"message": "malformed request: %s" % err}}
        request_id, op = request.get("id"), request["op"]
        params = request.get("params") or {}
        try:
            result = self.handle(op, params)
            return {"id": request_id, "ok": True, "result": {} if result is None else result}
        except DriverError as err:
            return {"id": request_id, "ok": False, "error": err.to_wire()}
        except Exception as err:  # a driver bug fails one op, not every spec after it
            return {"id": request_id, "ok": False, "error": {"message": "%s: %s" % (type(err).__name__, err)}}


def main():
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    driver = Driver()
    for line in sys.stdin:
        if not line.strip():
            continue
        response = driver.answer(line)
        sys.stdout.write(json.dumps(response, ensure_ascii=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
