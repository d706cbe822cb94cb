#!/usr/bin/env python3
"""Conformance driver for the JAIA code database API in Python 3, standard library only.

Speaks the protocol of conformance/DRIVER.md on stdin/stdout (one JSON object per line) and
keeps the rules of the JAIA manual (1.9.0) that the suite judges:

* log in once (POST /auth, AUTH_LOGIN), lazily before the first call, and reuse the answer's
  metadata.userId and metadata.criptToken: the token raw in the Authorization header, the user
  ID in every body's userId (§1-3);
* when a call is refused with the auth error (401), log in again once and send it again: the
  upstream checks the token before anything else, so the refused call changed nothing;
* every body carries the common items of §1-4: apiId, userId and appId "EXTERNAL"; an import
  carries them in the multipart "body" part;
* several records go out as CSV imports (at most 10,000 rows each, near-equal batches), never
  as single calls in a loop; one record uses the single API (§1-9, §1-17);
* search pages are 0-based: pageNumber 0 … ceil(total / displayNumber) - 1, displayNumber at
  most 200 (§1-8);
* every request, login and logout included, waits for a sliding-window rate limiter (100 a
  minute unless configure says otherwise), each request's window counted from when its answer
  arrived (§1-17, DRIVER.md);
* an answer is a success only when its HTTP status is 2xx and its result is 0; nothing but the
  auth error is retried;
* logout (DELETE /auth) when the caller is done.

Logs go to stderr, which the suite copies into the spec's report.
"""

import csv
import io
import json
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

APP_ID = "EXTERNAL"
MAX_IMPORT_ROWS = 10000
MAX_DISPLAY_NUMBER = 200
HTTP_TIMEOUT = 25.0  # seconds; inside the suite's 30 s per op

# The store import's CSV columns, in the manual's STORE_CREATE table order
# (specs/jaia/NOTES.md: a header row of the dataset keys).
STORE_COLUMNS = (
    "jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,informationRegistrationCategory,"
    "storeName,storeNameKana,storeZipCode,storeAddress1,storeAddress2,storePhoneNumber,storeFormat,"
    "storeCategory,operatingUnits,fueiLaw,url,remarks,publishSetting,publishCompanyCategory,"
    "publishCompanyCode"
).split(",")


def log(message):
    print("jaia-python: " + message, file=sys.stderr, flush=True)


class DriverError(Exception):
    """A failure reported to the suite as ok:false."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.status, self.code = status, code

    def to_wire(self):
        error = {"message": str(self)}
        if self.status:
            error["status"] = self.status
        if self.code is not None:
            error["code"] = str(self.code)
        return error


class APIError(DriverError):
    """An answer that is not a success: HTTP status, the envelope's code and its messages."""

    def __init__(self, api_id, status, code, messages, body=None):
        text = "jaia %s: HTTP %d" % (api_id, status)
        if body is not None:
            text += ", not a JAIA answer: %r" % body[:200]
        else:
            text += ", code %s" % code
            if messages:
                text += ": " + " / ".join(messages)
        super().__init__(text, status=status, code=None if body is not None else code)
        self.auth_failure = body is None and (code == 401 or status == 401)


class RateLimiter:
    """At most `requests` requests in any window of `window` seconds, each request's window
    counted from when its answer arrived (DRIVER.md): the upstream counts arrivals, and an
    answer always comes after its request arrived. A request in flight holds its slot."""

    def __init__(self, requests, window):
        self.max, self.window = requests, window
        self.in_flight = 0
        self.answered = []  # monotonic times, oldest first, within the last window
        self.lock = threading.Lock()

    def wait(self):
        """Block until a request may leave; call done() once its answer arrived."""
        while True:
            with self.lock:
                now = time.monotonic()
                while self.answered and now >= self.answered[0] + self.window:
                    self.answered.pop(0)
                if self.in_flight + len(self.answered) < self.max:
                    self.in_flight += 1
                    return
                pause = self.answered[0] + self.window - now if self.answered else 0.005
            time.sleep(pause)

    def done(self):
        with self.lock:
            self.in_flight -= 1
            self.answered.append(time.monotonic())


def decode_envelope(api_id, status, body):
    """The JAIA envelope of a success, or an APIError carrying every errorMessageList entry."""
    try:
        env = json.loads(body.decode("utf-8"))
        if not isinstance(env, dict) or env.get("result") is None:
            raise ValueError("no result")
    except ValueError:
        raise APIError(api_id, status, None, [], body=body.decode("utf-8", "replace"))
    if 200 <= status < 300 and env["result"] == 0:
        return env
    items = env.get("errorMessageList") or env.get("errorMessage") or []
    messages = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict) and item.get("message"):
            messages.append("row %s: %s" % (item.get("row"), item["message"]))
        elif isinstance(item, str):
            messages.append(item)
        else:
            messages.append(json.dumps(item, ensure_ascii=False))
    raise APIError(api_id, status, env.get("code"), messages)


class JaiaClient:
    def __init__(self, settings):
        self.base = (settings.get("baseUrl") or "").rstrip("/")
        if not self.base:
            raise DriverError("configure: jaia.baseUrl is required")
        self.user_mail, self.password = settings.get("userMail"), settings.get("password")
        rate = settings.get("rateLimit") or {}
        requests, window_ms = rate.get("requests") or 0, rate.get("windowMs") or 0
        if requests <= 0 or window_ms <= 0:
            requests, window_ms = 100, 60000  # the manual's 100 requests a minute
        self.limiter = RateLimiter(requests, window_ms / 1000.0)
        self.session = None  # {"userId", "criptToken"} once logged in

    # --- HTTP ---

    def exchange(self, method, path, token, content_type, body):
        """One request once the limiter allows: (status, headers, body)."""
        self.limiter.wait()
        try:
            request = urllib.request.Request(self.base + path, data=body, method=method)
            request.add_header("Content-Type", content_type)
            request.add_header("Accept", "application/json, text/csv")
            if token:
                request.add_header("Authorization", token)  # raw, no scheme (§1-3)
            try:
                with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                    return response.status, response.headers, response.read()
            except urllib.error.HTTPError as err:
                return err.code, err.headers, err.read()
            except (urllib.error.URLError, OSError) as err:
                raise DriverError("jaia %s %s: %s" % (method, path, err))
        finally:
            self.limiter.done()  # the window counts from the answer, read whole

    def login(self):
        body = json.dumps({"appId": APP_ID, "userMail": self.user_mail, "password": self.password}).encode()
        status, _, data = self.exchange("POST", "/auth", None, "application/json", body)
        meta = decode_envelope("AUTH_LOGIN", status, data).get("metadata") or {}
        if not meta.get("criptToken") or not meta.get("userId"):
            raise DriverError("jaia AUTH_LOGIN: the answer has no metadata.userId and metadata.criptToken")
        self.session = meta
        return meta

    def invoke(self, api_id, method, path, build):
        """Send a call with the current login; build(session) gives (content type, body).
        Returns (status, headers, body). The auth error makes it log in again and re-send once."""
        session = self.session or self.login()
        status, headers, data = self.exchange(method, path, session["criptToken"], *build(session))
        try:
            decode_envelope(api_id, status, data) if not is_csv(status, headers) else None
        except APIError as err:
            if not err.auth_failure:
                return status, headers, data
            log("%s refused the token (%s); logging in again" % (api_id, err))
            session = self.login()
            status, headers, data = self.exchange(method, path, session["criptToken"], *build(session))
        return status, headers, data

    def call(self, api_id, method, path, fields):
        """A JSON call: the common items of §1-4 plus fields; returns the success envelope."""
        def build(session):
            doc = dict(fields)
            doc.update(apiId=api_id, userId=session["userId"], appId=APP_ID)
            return "application/json", json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return decode_envelope(api_id, *drop_headers(self.invoke(api_id, method, path, build)))

    def logout(self):
        session, self.session = self.session, None
        if session is None:
            return
        body = json.dumps({"userId": session["userId"], "appId": APP_ID}).encode()
        status, _, data = self.exchange("DELETE", "/auth", session["criptToken"], "application/json", body)
        try:
            decode_envelope("AUTH_LOGOUT", status, data)
        except APIError as err:
            if not err.auth_failure:  # an expired token has ended the session already
                raise

    # --- stores ---

    def create_stores(self, stores):
        if not stores:
            return 0
        if len(stores) == 1:
            self.call("STORE_CREATE", "POST", "/store", {"dataset": non_empty(stores[0])})
            return 1
        created = 0
        for batch in batches(stores, MAX_IMPORT_ROWS):
            try:
                created += self.import_stores(batch)
            except APIError as err:
                if created:
                    err.args = ("%s (%d of %d stores were imported by earlier CSVs)" % (err, created, len(stores)),)
                raise
        return created

    def import_stores(self, stores):
        file = encode_csv(STORE_COLUMNS, stores)

        def build(session):
            common = {"apiId": "STORE_IMPORT_CREATE", "userId": session["userId"], "appId": APP_ID, "dataset": {}}
            return multipart([
                ("body", "blob", "application/json", json.dumps(common).encode()),
                ("file", "store.csv", "text/csv", file),
            ])
        env = decode_envelope("STORE_IMPORT_CREATE",
                              *drop_headers(self.invoke("STORE_IMPORT_CREATE", "POST", "/stores/import", build)))
        meta = env.get("metadata") or {}
        if "success" not in meta:
            raise DriverError("jaia STORE_IMPORT_CREATE: the success answer lacks metadata total/success/error")
        return meta["success"]

    def search_stores(self, params):
        conditions, columns = params.get("conditions") or [], params.get("columns") or []
        if not conditions or not columns:
            raise DriverError("jaia STORE_SELECT: a search needs at least one condition and one column")
        size = params.get("displayNumber") or 0
        size = size if 0 < size <= MAX_DISPLAY_NUMBER else MAX_DISPLAY_NUMBER
        fields = {
            "searchConditions": conditions,
            "datasetList": [{"columnName": c} for c in columns],
            "displayNumber": size,
        }
        if params.get("sort"):
            fields["sortList"] = params["sort"]
        if params.get("infoOpenStatus"):
            fields["infoOpenStatus"] = params["infoOpenStatus"]
        rows, total, page = [], 0, 0
        while True:
            fields["pageNumber"] = page
            env = self.call("STORE_SELECT", "POST", "/stores", fields)
            if env.get("total") is None:
                raise DriverError("jaia STORE_SELECT: the success answer lacks total")
            if env.get("pageNumber") is not None and env["pageNumber"] != page:
                raise DriverError("jaia STORE_SELECT: asked for page %d, the upstream answered page %d"
                                  % (page, env["pageNumber"]))
            total = env["total"]
            got = env.get("metadataList") or []
            rows.extend(got)
            if not got or (page + 1) * size >= total:
                return {"total": total, "stores": rows}
            page += 1

    def export_deleted_stores(self, params):
        conditions = params.get("conditions") or []
        if not conditions:
            raise DriverError("jaia STORE_EXPORT_DELETED: an export needs at least one condition")
        fields = {"searchConditions": conditions}
        if params.get("infoOpenStatus"):
            fields["infoOpenStatus"] = params["infoOpenStatus"]

        def build(session):
            doc = dict(fields, apiId="STORE_EXPORT_DELETED", userId=session["userId"], appId=APP_ID)
            return "application/json", json.dumps(doc, ensure_ascii=False).encode("utf-8")
        status, headers, data = self.invoke("STORE_EXPORT_DELETED", "POST", "/stores/export/deleted", build)
        if is_csv(status, headers):
            return {"csv": data.decode("utf-8")}
        decode_envelope("STORE_EXPORT_DELETED", status, data)
        raise DriverError("jaia STORE_EXPORT_DELETED: the success answer lacks the CSV file")

    def get_codes(self, code_ids):
        if not code_ids:
            raise DriverError("jaia CODES_SELECT: no code ID given")
        env = self.call("CODES_SELECT", "POST", "/codes", {"datasetList": [{"codeId": c} for c in code_ids]})
        return env.get("metadataList") or []


def drop_headers(answer):
    status, _, data = answer
    return status, data


def is_csv(status, headers):
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    return status == 200 and content_type == "text/csv"


def non_empty(record):
    return {k: v for k, v in record.items() if v != ""}


def batches(records, most):
    """Near-equal batches of at most `most` records, in order."""
    n = (len(records) + most - 1) // most
    return [records[i * len(records) // n:(i + 1) * len(records) // n] for i in range(n)]


def encode_csv(columns, records):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for i, record in enumerate(records):
        unknown = set(record) - set(columns)
        if unknown:
            raise DriverError("record %d: %s is not an import column" % (i + 1, sorted(unknown)))
        writer.writerow([record.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def multipart(parts):
    """multipart/form-data of (name, filename, content type, bytes) parts."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, filename, content_type, data in parts:
        out.write(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                   "Content-Type: %s\r\n\r\n" % (boundary, name, filename, content_type)).encode())
        out.write(data)
        out.write(b"\r\n")
    out.write(("--%s--\r\n" % boundary).encode())
    return "multipart/form-data; boundary=" + boundary, out.getvalue()


class Driver:
    def __init__(self):
        self.client = None
        self.ops = {
            "jaia.createStores": self.create_stores,
            "jaia.updateStore": lambda c, p: c.call("STORE_UPDATE", "PUT", "/store",
                                                    {"dataset": non_empty(p.get("store") or {})}) and {},
            "jaia.deleteStore": lambda c, p: c.call("STORE_DELETE", "DELETE", "/store",
                                                    {"dataset": {"jaiaCode": p.get("jaiaCode")}}) and {},
            "jaia.searchStores": lambda c, p: c.search_stores(p),
            "jaia.exportDeletedStores": lambda c, p: c.export_deleted_stores(p),
            "jaia.getCodes": lambda c, p: {"codes": c.get_codes(p.get("codeIds") or [])},
            "jaia.logout": lambda c, p: c.logout() or {},
        }

    @staticmethod
    def create_stores(client, params):
        defaults = params.get("defaults") or {}
        stores = [dict(defaults, **store) for store in params.get("stores") or []]
        return {"created": client.create_stores(stores)}

    def handle(self, op, params):
        if op == "configure":
            jaia = params.get("jaia")  # a spec of another API leaves it unset
            self.client = JaiaClient(jaia) if jaia is not None else None
            return {}
        perform = self.ops.get(op)
        if perform is None:
            raise DriverError("op %r is not supported by this driver" % op, code="unsupported")
        if self.client is None:
            raise DriverError("jaia is not configured: send configure with a jaia block first")
        return perform(self.client, params)

    def answer(self, line):
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not request.get("op"):
                raise ValueError("missing op")
        except ValueError as err:
            return {"id": 0, "ok": False, "error": {"message": "malformed request: %s" % err}}
        request_id = request.get("id")
        try:
            result = self.handle(request["op"], request.get("params") or {})
            return {"id": request_id, "ok": True, "result": {} if result is None else result}
        except DriverError as err:
            return {"id": request_id, "ok": False, "error": err.to_wire()}
        except Exception as err:  # a driver bug fails one op, not every spec after it
            log("%s: %s" % (type(err).__name__, err))
            return {"id": request_id, "ok": False, "error": {"message": "%s: %s" % (type(err).__name__, err)}}


def main():
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    driver = Driver()
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(driver.answer(line), ensure_ascii=False, separators=(",", ":")) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
