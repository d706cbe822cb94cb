#!/usr/bin/env python3
"""Conformance driver for the CyberPort NACCS integration API in Python 3, standard library only.

Speaks the protocol of conformance/DRIVER.md on stdin/stdout (one JSON object per line) and
keeps the rules of CyberPort's integration guide that the suite judges:

* a client-credentials token from /Token, reused as Bearer until 30 s before it expires; a
  401 renews it once;
* a job is the seed's steps ① to ⑤: Create (which returns the deal's current form, or a new
  one), the fields set on that form and the whole form saved with Update carrying its _etag
  (a 412 means it changed meanwhile: read it again, at most 3 times), Send with the saved
  _etag, wait for the NaccsReceive webhook, fetch the output;
* the webhook receiver listens on 127.0.0.1, is registered with /API/v1/Webhook/Save at
  configure, answers 401 to a delivery whose X-CyberPort-Signature (HMAC-SHA256 of
  "t.body", within 5 minutes) does not verify, and 2xx to a delivery it has seen before
  without acting on it again;
* the output is polled (with back-off) only when no webhook came within webhookWaitMs.

Logs go to stderr, which the suite copies into the spec's report.
"""

import hashlib
import hmac
import json
import queue
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTTP_TIMEOUT = 25.0
WEBHOOK_TOLERANCE = 300  # seconds a signature's timestamp may be off
SAVE_ATTEMPTS = 3
POLL_DELAY, MAX_POLL_DELAY = 2.0, 30.0
OP_BUDGET = 28.0


def log(message):
    print("naccs-python: " + message, file=sys.stderr, flush=True)


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


def api_error(status, body):
    try:
        doc = json.loads(body.decode("utf-8"))
    except ValueError:
        doc = {}
    doc = doc if isinstance(doc, dict) else {}
    message = (doc.get("Message") or "") + (doc.get("error") or "") + (doc.get("message") or "")
    text = "naccs: %d %s" % (status, message or "HTTP %d" % status)
    if doc.get("ModelState"):
        text += " %s" % json.dumps(doc["ModelState"], ensure_ascii=False)
    return DriverError(text, status=status)


def verify(secret, header, body, now):
    """Checks X-CyberPort-Signature "t=<unix>,v1=<hex>"; returns None or why it fails."""
    ts, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            ts = value
        elif key == "v1":
            signatures.append(value)
    if ts is None or not ts.isdigit() or not signatures:
        return "no t= and v1= in the signature header"
    if abs(now - int(ts)) > WEBHOOK_TOLERANCE:
        return "signature timestamp is %ds away from now" % (now - int(ts))
    want = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(s, want) for s in signatures):
        return "signature does not match"
    return None


class NaccsClient:
    def __init__(self, s):
        self.base = (s.get("baseUrl") or "").rstrip("/")
        for name in ("baseUrl", "clientId", "clientSecret", "organizationId", "businessTypeId"):
            if not s.get(name):
                raise DriverError("configure: naccs.%s is required" % name)
        self.client_id, self.client_secret = s["clientId"], s["clientSecret"]
        self.organization, self.business_type = s["organizationId"], s["businessTypeId"]
        self.token, self.expires = None, 0.0
        self.lock = threading.Lock()

    def bearer(self, renew):
        with self.lock:
            if not renew and self.token and time.monotonic() + 30 < self.expires:
                return self.token
            form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.client_id,
                                           "client_secret": self.client_secret}).encode()
            status, body = self.exchange("POST", "/Token", form, {"Content-Type": "application/x-www-form-urlencoded"})
            if status != 200:
                raise api_error(status, body)
            answer = json.loads(body.decode("utf-8"))
            if not answer.get("access_token"):
                raise DriverError("naccs: token answer %r" % body[:200])
            self.token = answer["access_token"]
            self.expires = time.monotonic() + (answer.get("expires_in") or 0)
            return self.token

    def exchange(self, method, path, data, headers):
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError) as err:
            raise DriverError("naccs: %s %s: %s" % (method, path, err))

    def call(self, method, path, body=None):
        """A JSON API call with the Bearer token: (status, decoded answer or None)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        for attempt in range(2):
            headers = {"Authorization": "Bearer " + self.bearer(attempt > 0), "Accept": "application/json"}
            if data is not None:
                headers["Content-Type"] = "application/json"
            status, answer = self.exchange(method, path, data, headers)
            if status == 401 and attempt == 0:
                continue
            if not 200 <= status <= 299:
                raise api_error(status, answer)
            return status, json.loads(answer.decode("utf-8")) if answer.strip() else None

    def save(self, code, deal_no, fields):
        """Steps ①–②: the deal's form with fields set, saved; returns the saved form."""
        last = None
        for _ in range(SAVE_ATTEMPTS):
            _, current = self.call("POST", "/API/v1/NACCS/%s/Create" % code, {
                "businessTypeId": self.business_type, "dealNo": deal_no, "organizationId": self.organization})
            form = dict(current or {})
            form.update(fields or {})
            try:
                _, saved = self.call("PUT", "/API/v1/NACCS/%s/Update" % code, form)
                return saved or {}
            except DriverError as err:
                if err.status != 412:
                    raise
                log("%s: the form changed meanwhile; reading it again" % code)
                last = err
        raise DriverError("naccs: saving %s: the form kept changing: %s" % (code, last), status=412)

    def send(self, code, report_id, etag):
        _, accepted = self.call("POST", "/API/v1/NACCS/%s/Send/%s" % (code, urllib.parse.quote(report_id, safe="")), {
            "organizationId": self.organization, "businessTypeId": self.business_type, "_etag": etag})
        if not accepted or not accepted.get("naccsSendId"):
            raise DriverError("naccs: Send answered no naccsSendId")
        return accepted["naccsSendId"]

    def output(self, code, report_id, send_id):
        path = "/API/v1/NACCS/%s/Output/%s" % (code, urllib.parse.quote(report_id, safe=""))
        if send_id:
            path += "?naccsSendId=" + urllib.parse.quote(send_id, safe="")
        return self.call("GET", path)[1] or {}

    def save_webhook(self, name, url):
        self.call("POST", "/API/v1/Webhook/Save", {"organizationId": self.organization, "name": name, "url": url})


class Integration:
    """The client with its webhook receiver: outputs arrive by NaccsReceive, or by polling."""

    def __init__(self, settings):
        self.client = NaccsClient(settings)
        self.secret = settings.get("signingSecret") or ""
        self.webhook_wait = (settings.get("webhookWaitMs") or 120000) / 1000.0
        self.outputs = {}  # naccsSendId -> output
        self.arrived = threading.Condition()
        self.received, self.seen = [], set()
        self.events = queue.Queue(maxsize=256)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.receiver_class())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        threading.Thread(target=self.work, daemon=True).start()
        url = "http://127.0.0.1:%d/cyberport/webhook" % self.server.server_address[1]
        try:
            self.client.save_webhook("upmock conformance driver (python)", url)
        except DriverError as err:
            self.close()
            raise DriverError("registering the webhook %s: %s" % (url, err), status=err.status)
        log("webhook receiver registered at " + url)

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def receiver_class(self):
        integration = self

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self):
                integration.receive(self)

            def do_GET(self):
                integration.answer(self, {"deliveryId": self.headers.get("X-CyberPort-Delivery") or "",
                                          "event": self.headers.get("X-CyberPort-Event") or ""}, 405, "not a POST")

            def log_message(self, fmt, *args):  # the suite reads our stderr: keep it for what matters
                pass

        return Receiver

    def answer(self, request, record, status, reason=""):
        record.update(status=status, accepted=200 <= status <= 299)
        record.setdefault("naccsSendId", "")
        record.setdefault("duplicate", False)
        if reason:
            record["reason"] = reason
        with self.arrived:
            self.received.append(record)
        request.send_response(status)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def receive(self, request):
        record = {"deliveryId": request.headers.get("X-CyberPort-Delivery") or "",
                  "event": request.headers.get("X-CyberPort-Event") or ""}
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(min(length, 1 << 20))
        why = verify(self.secret, request.headers.get("X-CyberPort-Signature"), body, time.time())
        if why:
            return self.answer(request, record, 401, why)
        try:
            payload = json.loads(body.decode("utf-8"))
            data = payload["data"]
        except (ValueError, KeyError, TypeError):
            payload = None
        if payload is None or not record["deliveryId"]:
            return self.answer(request, record, 400, "not a CyberPort webhook")
        record["naccsSendId"] = data.get("naccsSendId") or ""
        with self.arrived:
            duplicate = record["deliveryId"] in self.seen
            self.seen.add(record["deliveryId"])
        if duplicate:
            record["duplicate"] = True
            return self.answer(request, record, 204, "seen before")
        try:
            self.events.put_nowait(data)
        except queue.Full:
            with self.arrived:
                self.seen.discard(record["deliveryId"])
            return self.answer(request, record, 503, "busy")
        self.answer(request, record, 204)

    def work(self):
        """Fetches the output of each NaccsReceive, after its webhook was answered."""
        while True:
            data = self.events.get()
            if data.get("operationType") != "NaccsReceive" or not data.get("naccsSendId"):
                continue
            try:
                out = self.client.output(data.get("businessCode"), data.get("dealReportId"), data["naccsSendId"])
            except DriverError as err:
                log("fetching the output after NaccsReceive failed; the job will poll: %s" % err)
                continue
            with self.arrived:
                self.outputs[data["naccsSendId"]] = out
                self.arrived.notify_all()

    def await_output(self, code, report_id, send_id, deadline):
        with self.arrived:
            self.arrived.wait_for(lambda: send_id in self.outputs,
                                  timeout=max(0, min(self.webhook_wait, deadline - time.monotonic())))
            if send_id in self.outputs:
                return self.outputs[send_id]
        log("no NaccsReceive webhook for %s; polling the output" % send_id)
        delay = POLL_DELAY
        while True:
            out = self.client.output(code, report_id, send_id)
            if out.get("status") not in (None, "", "sending"):
                return out
            if time.monotonic() + delay > deadline:
                raise DriverError("naccs: %s still sending at the op's deadline" % send_id)
            with self.arrived:
                if self.arrived.wait_for(lambda: send_id in self.outputs, timeout=delay):
                    return self.outputs[send_id]
            delay = min(2 * delay, MAX_POLL_DELAY)

    def submit(self, code, deal_no, fields, deadline):
        saved = self.client.save(code, deal_no, fields)
        report_id, etag = saved.get("dealReportId"), saved.get("_etag")
        send_id = self.client.send(code, report_id, etag)
        out = self.await_output(code, report_id, send_id, deadline)
        result = out.get("processingResult") or {}
        return {"dealReportId": report_id, "naccsSendId": send_id, "status": out.get("status", ""),
                "resultCode": result.get("resultCode", ""), "errors": result.get("errors") or [],
                "outputs": out.get("outputs") or []}

    def amend(self, call_up_code, deal_no, key, changes, deadline):
        call = self.submit(call_up_code, deal_no, key, deadline)
        outputs = call["outputs"]
        if call["status"] != "completed" or not outputs or not outputs[0].get("targetBusinessCode"):
            raise DriverError("naccs: the call-up (呼出) did not return the declaration: %s"
                              % (call["resultCode"] or "no result"))
        fields = dict(outputs[0].get("fields") or {})
        fields.update(changes or {})
        return self.submit(outputs[0]["targetBusinessCode"], deal_no, fields, deadline)

    def webhooks(self):
        with self.arrived:
            return {"webhooks": list(self.received)}


def job_params(op, p):
    if not p.get("businessCode") or not p.get("dealNo"):
        raise DriverError("%s params: want businessCode, dealNo and fields" % op)
    return p["businessCode"], p["dealNo"], p.get("fields") or {}


class Driver:
    def __init__(self):
        self.integration = None
        self.ops = {
            "naccs.submit": lambda i, p, d: i.submit(*job_params("naccs.submit", p), d),
            "naccs.amend": self.amend,
            "naccs.saveForm": self.save_form,
            "naccs.webhooks": lambda i, p, d: i.webhooks(),
        }

    @staticmethod
    def amend(integration, p, deadline):
        if not p.get("callUpCode") or not p.get("dealNo"):
            raise DriverError("naccs.amend params: want callUpCode, dealNo, key and changes")
        return integration.amend(p["callUpCode"], p["dealNo"], p.get("key") or {}, p.get("changes") or {}, deadline)

    @staticmethod
    def save_form(integration, p, deadline):
        saved = integration.client.save(*job_params("naccs.saveForm", p))
        return {"dealReportId": saved.get("dealReportId", ""), "_etag": saved.get("_etag", "")}

    def handle(self, op, params):
        if op == "configure":
            if self.integration is not None:
                self.integration.close()
                self.integration = None
            settings = params.get("naccs")  # a spec of another API leaves it unset
            if settings is not None:
                self.integration = Integration(settings)
            return {}
        perform = self.ops.get(op)
        if perform is None:
            raise DriverError("op %r is not supported by this driver" % op, code="unsupported")
        if self.integration is None:
            raise DriverError("naccs is not configured: send configure with a naccs block first")
        return perform(self.integration, params, time.monotonic() + OP_BUDGET)

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
