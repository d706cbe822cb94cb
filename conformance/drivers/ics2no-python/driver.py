#!/usr/bin/env python3
"""Conformance driver for Norwegian Customs ICS2 (with Maskinporten) in Python 3.

Standard library only, plus RS256 signing through the `openssl` command (or the
`cryptography` package where there is no openssl). Speaks the protocol of conformance/DRIVER.md
on stdin/stdout (one JSON object per line) and keeps the rules the suite judges:

* a JWT grant signed RS256 with the client's key (kid, or the certificate in x5c), aud the
  Maskinporten audience, iss the client ID, a scope, iat/exp (100 s) and a fresh jti, posted
  to Maskinporten's /token as grant_type jwt-bearer;
* the Maskinporten token exchanged at the Customs API's /api/access/external/oauth/token
  (token-exchange), and the Customs token reused as Bearer until 30 s before it expires; a
  401 drops it and the call is sent once more with a new one;
* 5xx answers and transport failures are retried with exponential back-off; a presentation
  keeps its requestId across retries, and a 400 "requestId er allerede brukt" after a retry
  means an earlier attempt was accepted;
* after a presentation is accepted (202), validation-status is polled while it answers 404;
  goods already presented with SUCCESS are not presented again;
* routing signals are read from the last marker on until a read brings nothing new, and
  every house consignment gets a decision: release on TO_ENTRY, control on TO_CONTROL, hold
  until a signal comes.

Logs go to stderr, which the suite copies into the spec's report.
"""

import atexit
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
EXCHANGE_PATH = "/api/access/external/oauth/token"
PRESENTATION_PATH = "/api/movement/presentation/v1/"
ROUTING_PATH = "/api/movement/routing/v1/house-consignment"
DEFAULT_SCOPE = "toll:movement/entry"
KINDS = ("house-consignment", "receptacle", "entry-summary-declaration")
REQUEST_ID_REUSED = "requestId er allerede brukt"
GRANT_LIFETIME = 100  # seconds; Maskinporten allows at most 120
TOKEN_MARGIN = 30  # seconds before expiry a token is renewed
ATTEMPT_TIMEOUT = 15.0
MAX_DELAY = 10.0


def log(message):
    print("ics2no-python: " + message, file=sys.stderr, flush=True)


class DriverError(Exception):
    """A failure reported to the suite as ok:false."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.status, self.code = status, code

    def to_wire(self):
        error = {"message": str(self)}
        if self.status:
            error["status"] = self.status
        if self.code:
            error["code"] = self.code
        return error


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class RS256Signer:
    """Signs with an RSA private key through the openssl command, or the cryptography package
    when there is no openssl."""

    def __init__(self, key_pem):
        if shutil.which("openssl"):
            fd, self.key_file = tempfile.mkstemp(prefix="ics2no-key-", suffix=".pem")
            with os.fdopen(fd, "w") as f:  # mkstemp makes it readable by this user only
                f.write(key_pem)
            atexit.register(os.remove, self.key_file)
            self.sign = self.sign_with_openssl
            return
        try:
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding
        except ImportError:
            raise DriverError("RS256 needs the openssl command or the cryptography package; neither is here")
        key = serialization.load_pem_private_key(key_pem.encode(), password=None)
        self.sign = lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def sign_with_openssl(self, data):
        done = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key_file],
                              input=data, capture_output=True, check=False)
        if done.returncode != 0:
            raise DriverError("openssl could not sign the grant: " + done.stderr.decode(errors="replace"))
        return done.stdout


def pem_body(pem):
    """The DER of a PEM certificate, Base64 (not URL-safe), for x5c."""
    lines = [l for l in pem.strip().splitlines() if l and not l.startswith("-----")]
    return "".join(lines)


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None


def api_error(op, answer):
    """An APIError-like failure: status, and the WWW-Authenticate error or the body."""
    code = description = ""
    challenge = answer.headers.get("WWW-Authenticate") or ""
    for name in ("error", "error_description"):
        marker = name + '="'
        if marker in challenge:
            value = challenge.split(marker, 1)[1].split('"', 1)[0]
            code, description = (value, description) if name == "error" else (code, value)
    text = "ics2no %s: %d" % (op, answer.status)
    if code:
        text += " " + code
    text += ": " + (description or answer.body[:300].decode("utf-8", "replace"))
    return DriverError(text, status=answer.status, code=code or None)


def oauth_error(op, answer):
    body = answer.json() or {}
    text = "ics2no %s: %d" % (op, answer.status)
    if isinstance(body, dict) and body.get("error"):
        text += " %s: %s" % (body["error"], body.get("error_description", ""))
        return DriverError(text, status=answer.status, code=body["error"])
    return DriverError(text + ": " + answer.body[:300].decode("utf-8", "replace"), status=answer.status)


class Ics2Client:
    def __init__(self, s):
        self.maskinporten = (s.get("maskinportenUrl") or "").rstrip("/")
        self.base = (s.get("baseUrl") or "").rstrip("/")
        self.client_id = s.get("clientId")
        if not self.maskinporten or not self.base or not self.client_id:
            raise DriverError("configure: ics2no.maskinportenUrl, baseUrl and clientId are required")
        key_pem = s.get("privateKeyPem")
        if not key_pem and s.get("privateKeyFile"):
            with open(s["privateKeyFile"]) as f:
                key_pem = f.read()
        if not key_pem:
            raise DriverError("configure: ics2no.privateKeyPem (or privateKeyFile) is required")
        self.signer = RS256Signer(key_pem)
        self.kid, self.certificate = s.get("kid"), s.get("certificatePem")
        if not self.kid and not self.certificate:
            raise DriverError("configure: ics2no.kid or certificatePem is required")
        self.scope = s.get("scope") or DEFAULT_SCOPE
        self.audience = s.get("audience") or self.maskinporten + "/"
        retry, poll = s.get("retry") or {}, s.get("poll") or {}
        self.max_attempts = retry.get("maxAttempts") or 4
        self.base_delay = (retry.get("baseDelayMs") or 500) / 1000.0
        self.poll_interval = (poll.get("intervalMs") or 1000) / 1000.0
        self.poll_timeout = (poll.get("timeoutMs") or 30000) / 1000.0
        self.token, self.expires = None, 0.0
        self.presented = {}  # goods key -> {"requestId", "status"}
        self.marker = None  # routingResult.id of the last signal read
        self.signals, self.seen = [], set()
        self.goods, self.goods_keys = [], set()

    # --- HTTP with retries ---

    def send(self, op, method, url, body=None, headers=None):
        """One request, retried on 5xx and transport failures: (Answer, attempts)."""
        last = None
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                delay = min(self.base_delay * (2 ** (attempt - 2)), MAX_DELAY)
                delay += random.uniform(0, delay / 10)
                log("%s: retrying (attempt %d) after %.2fs: %s" % (op, attempt, delay, last))
                time.sleep(delay)
            request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
            try:
                with urllib.request.urlopen(request, timeout=ATTEMPT_TIMEOUT) as response:
                    answer = Answer(response.status, response.headers, response.read())
            except urllib.error.HTTPError as err:
                answer = Answer(err.code, err.headers, err.read())
            except (urllib.error.URLError, OSError) as err:
                last = err
                continue
            if answer.status >= 500 and attempt < self.max_attempts:
                last = "HTTP %d" % answer.status
                continue
            return answer, attempt
        raise DriverError("ics2no %s: no answer after %d attempts: %s" % (op, self.max_attempts, last))

    def post_form(self, op, url, form):
        answer, _ = self.send(op, "POST", url, urllib.parse.urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        return answer

    def call(self, op, method, path, query=None, body=None):
        """An API call with the Customs token; a 401 renews the token once: (Answer, attempts)."""
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        attempts = 0
        for renewed in (False, True):
            token = self.customs_token()
            headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
            if raw is not None:
                headers["Content-Type"] = "application/json"
            answer, n = self.send(op, method, url, raw, headers)
            attempts += n
            if answer.status == 401 and not renewed:
                log("%s: token refused (%s); renewing" % (op, answer.headers.get("WWW-Authenticate")))
                self.token = None
                continue
            return answer, attempts

    # --- tokens ---

    def grant(self):
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT"}
        if self.kid:
            header["kid"] = self.kid
        else:
            header["x5c"] = [pem_body(self.certificate)]
        claims = {"aud": self.audience, "iss": self.client_id, "scope": self.scope,
                  "iat": now, "exp": now + GRANT_LIFETIME, "jti": str(uuid.uuid4())}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        return signing_input + "." + b64url(self.signer.sign(signing_input.encode()))

    def customs_token(self):
        if self.token and time.monotonic() + TOKEN_MARGIN < self.expires:
            return self.token
        answer = self.post_form("maskinporten", self.maskinporten + "/token",
                                {"grant_type": GRANT_TYPE, "assertion": self.grant()})
        body = answer.json()
        if answer.status != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise oauth_error("maskinporten", answer)
        answer = self.post_form("exchange", self.base + EXCHANGE_PATH, {
            "grant_type": "token-exchange", "subject_token_type": "access_token",
            "subject_token": body["access_token"]})
        body = answer.json()
        if answer.status != 200 or not isinstance(body, dict) or not body.get("access_token"):
            raise oauth_error("exchange", answer)
        self.token, self.expires = body["access_token"], time.monotonic() + (body.get("expires_in") or 0)
        return self.token

    # --- presentation ---

    def present(self, p):
        kind = p.get("kind")
        if kind not in KINDS:
            raise DriverError("present params: kind must be one of %s, not %r" % (", ".join(KINDS), kind))
        goods = goods_of(p)
        key = goods_key(goods)
        previous = self.presented.get(key)
        if previous and previous["status"] == "SUCCESS":
            return {"requestId": previous["requestId"], "status": "SUCCESS", "alreadyPresented": True}
        if previous and previous["status"] == "":
            return self.settle(goods, key, previous["requestId"])
        request_id = str(uuid.uuid4())
        body = {"requestId": request_id, "customsOfficeOfPresentation": p.get("customsOfficeOfPresentation")}
        if kind == "entry-summary-declaration":
            body["mrn"] = p.get("mrn")
        elif kind == "receptacle":
            body["receptacleIdentificationNumber"] = p.get("receptacleIdentificationNumber")
        else:
            body["transportDocumentHouseLevel"] = {"documentNumber": goods["documentNumber"], "type": goods["type"]}
            if goods["containers"]:
                body["transportEquipment"] = [{"containerIdentificationNumber": c} for c in goods["containers"]]
        answer, attempts = self.call("present " + kind, "POST", PRESENTATION_PATH + kind, body=body)
        if answer.status == 400:
            errors = (answer.json() or {}).get("validationErrorList") or []
            if attempts > 1 and any(e.get("description") == REQUEST_ID_REUSED for e in errors):
                log("an earlier attempt of %s was accepted" % request_id)
            else:
                raise validation_failure(request_id, 400, errors)
        elif answer.status != 202:
            raise api_error("present " + kind, answer)
        self.presented[key] = {"requestId": request_id, "status": ""}
        return self.settle(goods, key, request_id)

    def settle(self, goods, key, request_id):
        status = self.await_status(request_id)
        self.presented[key] = {"requestId": request_id, "status": status.get("status", "")}
        if status.get("status") != "SUCCESS":
            raise validation_failure(request_id, 200, status.get("validationErrorList") or [])
        if goods["kind"] == "house-consignment" and key not in self.goods_keys:
            self.goods_keys.add(key)
            self.goods.append(goods)
        return {"requestId": request_id, "status": "SUCCESS", "alreadyPresented": False}

    def await_status(self, request_id):
        deadline = time.monotonic() + self.poll_timeout
        while True:
            answer, _ = self.call("validation-status", "GET", PRESENTATION_PATH + "validation-status",
                                  query={"requestId": request_id})
            if answer.status == 200:
                status = answer.json()
                if not isinstance(status, dict):
                    raise DriverError("ics2no validation-status: the answer is not a JSON object")
                return status
            if answer.status != 404:
                raise api_error("validation-status", answer)
            if time.monotonic() > deadline:
                raise DriverError("ics2no: presentation %s not processed after %.0f s" % (request_id, self.poll_timeout))
            time.sleep(self.poll_interval)

    # --- routing ---

    def process_routing(self):
        fresh = []
        while True:
            answer, _ = self.call("routing", "GET", ROUTING_PATH,
                                  query={"marker": self.marker} if self.marker else None)
            if answer.status != 200:
                raise api_error("routing", answer)
            entries = answer.json()
            if not isinstance(entries, list):
                raise DriverError("ics2no routing: the answer is not a JSON list")
            added = 0
            for entry in entries:
                signal_id = ((entry or {}).get("routingResult") or {}).get("id")
                if not signal_id or signal_id in self.seen:
                    continue
                self.seen.add(signal_id)
                self.signals.append(entry)
                fresh.append(entry)
                self.marker = signal_id
                added += 1
            if not added:
                return {"signals": fresh, "decisions": self.decisions()}

    def decisions(self):
        out, index, signalled = [], {}, set()
        for s in self.signals:
            document = s.get("transportDocumentHouseLevel") or {}
            equipment = s.get("transportEquipment") or []
            container = equipment[0].get("containerIdentificationNumber", "") if equipment else ""
            routing = (s.get("routingResult") or {}).get("routing", "")
            decision = {"entrySummaryDeclarationMRN": s.get("entrySummaryDeclarationMRN", ""),
                        "documentNumber": document.get("referenceNumber", ""), "type": document.get("type", ""),
                        "containerIdentificationNumber": container, "routing": routing,
                        "routingId": (s.get("routingResult") or {}).get("id", ""),
                        "action": {"TO_ENTRY": "release", "TO_CONTROL": "control"}.get(routing, "hold")}
            # Empty fields are left out, as the reference client does.
            decision = {k: v for k, v in decision.items() if v != "" or k in ("documentNumber", "type")}
            key = (decision["documentNumber"], decision["type"], container)
            signalled.add(key[:2])
            if key in index:
                out[index[key]] = decision
            else:
                index[key] = len(out)
                out.append(decision)
        for g in self.goods:
            if not g["containers"]:
                if (g["documentNumber"], g["type"]) not in signalled:
                    out.append({"documentNumber": g["documentNumber"], "type": g["type"], "action": "hold"})
                continue
            for container in g["containers"]:
                if (g["documentNumber"], g["type"], container) not in index:
                    out.append({"documentNumber": g["documentNumber"], "type": g["type"],
                                "containerIdentificationNumber": container, "action": "hold"})
        return out


def goods_of(p):
    document = p.get("transportDocumentHouseLevel") or {}
    if p.get("kind") == "house-consignment" and not document:
        raise DriverError("present params: a house-consignment needs transportDocumentHouseLevel")
    return {"kind": p.get("kind"), "mrn": p.get("mrn", ""),
            "receptacle": p.get("receptacleIdentificationNumber", ""),
            "documentNumber": document.get("documentNumber", ""), "type": document.get("type", ""),
            "containers": [e.get("containerIdentificationNumber") for e in p.get("transportEquipment") or []]}


def goods_key(g):
    if g["kind"] == "entry-summary-declaration":
        return "ens:" + g["mrn"]
    if g["kind"] == "receptacle":
        return "receptacle:" + g["receptacle"]
    return "hc:%s/%s/%s" % (g["documentNumber"], g["type"], ",".join(g["containers"]))


def validation_failure(request_id, status, errors):
    parts = ["%s (%s)" % (e.get("description"), (e.get("pointer") or {}).get("messageElementPath")) for e in errors]
    return DriverError("ics2no: presentation %s refused: %s" % (request_id, "; ".join(parts)),
                       status=status, code="FAILURE")


class Driver:
    def __init__(self):
        self.client = None
        self.ops = {
            "ics2no.present": lambda c, p: c.present(p),
            "ics2no.processRouting": lambda c, p: c.process_routing(),
        }

    def handle(self, op, params):
        if op == "configure":
            settings = params.get("ics2no")  # a spec of another API leaves it unset
            self.client = Ics2Client(settings) if settings is not None else None
            return {}
        perform = self.ops.get(op)
        if perform is None:
            raise DriverError("op %r is not supported by this driver" % op, code="unsupported")
        if self.client is None:
            raise DriverError("ics2no is not configured: send configure with an ics2no block first")
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
            log("%s: %s" % (request["op"], err))
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
