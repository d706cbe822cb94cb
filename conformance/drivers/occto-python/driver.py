#!/usr/bin/env python3
"""Conformance driver for the OCCTO outage-plan WebAPI in Python 3, standard library only.

Speaks the protocol of conformance/DRIVER.md on stdin/stdout (one JSON object per line) and
keeps the rules of OCCTO's WebAPI specification that the suite judges:

* every call is a form-encoded POST carrying userid and password; its outcome is the
  lower-case `resultcode` response header ("0000" is success), whatever the HTTP status;
* a success answer is Base64 of a ZIP holding one XML file, read in the encoding its XML
  declaration names (UTF-8 or Shift_JIS);
* a submitted file's outcome is read the way the upstream intends: its status from the
  receipt-file list (BA13B006), polled while 処理中 (01), and for 提出エラー (09) the reasons
  from its 受信確認メッセージ (BA13B007);
* once the daily limit answers 2001, no more calls are made until midnight JST;
* with caCert/clientCert/clientKey, HTTPS trusts that CA and presents that client
  certificate (the ssl module).

Logs go to stderr, which the suite copies into the spec's report.
"""

import base64
import datetime
import io
import json
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

PREFIX = "/service/RP12/OCCTO/api"
PATH_REGISTER = PREFIX + "/fileUpload/uploadBA13B101File"     # BA13B101 作業停止計画登録
PATH_PLAN_FILE = PREFIX + "/fileDownload/getBA13B102File"     # BA13B102 作業停止計画取得
PATH_PLAN_LIST = PREFIX + "/listDownload/getBA13B103FileList"  # BA13B103 作業停止計画一覧取得
PATH_FILE_LIST = PREFIX + "/listDownload/getBA13B006FileList"  # BA13B006 受付ファイル一覧取得
PATH_RECEIPT = PREFIX + "/fileDownload/getBA13B007File"       # BA13B007 受信確認メッセージ取得

CODE_OK = "0000"
CODE_DAILY_LIMIT = "2001"
STATUS_PROCESSING, STATUS_ERROR = "01", "09"
HTTP_TIMEOUT = 25.0  # seconds; inside the suite's 30 s per op
POLL_TIMEOUT = 25.0
JST = datetime.timezone(datetime.timedelta(hours=9), "JST")
DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
SHIFT_JIS_LABELS = {"shift_jis", "shift-jis", "sjis", "windows-31j", "cp932", "ms932"}


def log(message):
    print("occto-python: " + message, file=sys.stderr, flush=True)


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


def jst_today():
    return datetime.datetime.now(JST).date()


def decode_xml(data):
    """The XML file as text, in the encoding its declaration names."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    match = DECLARED_ENCODING.match(data[:200].decode("ascii", "replace"))
    label = match.group(1).lower() if match else "utf-8"
    if label in ("utf-8", "utf8"):
        return data.decode("utf-8")
    if label in SHIFT_JIS_LABELS:
        return data.decode("cp932")
    raise DriverError("the XML declares an encoding this client does not read: %s" % label)


def parse_xml(text):
    # The text is decoded already: drop the declaration, whose encoding expat would re-apply.
    return ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1))


def child_text(element, tag):
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


class OcctoClient:
    def __init__(self, settings):
        self.base = (settings.get("baseUrl") or "").rstrip("/")
        self.userid, self.password = settings.get("userid"), settings.get("password")
        if not self.base or not self.userid or not self.password:
            raise DriverError("configure: occto.baseUrl, userid and password are required")
        self.poll_interval = (settings.get("pollIntervalMs") or 2000) / 1000.0
        self.limit_day = None  # the JST day the daily limit answered 2001
        self.tls = None
        if self.base.startswith("https:"):
            self.tls = ssl.create_default_context(cafile=settings.get("caCert") or None)
            if settings.get("clientCert"):
                self.tls.load_cert_chain(settings["clientCert"], settings.get("clientKey"))

    def call(self, api, path, params):
        """One API call; returns (entry name, XML bytes) of the answer's ZIP."""
        if self.limit_day is not None and self.limit_day == jst_today():
            raise DriverError("occto %s: not called: resultcode 2001 (API 上限回数を超えています) earlier on %s JST; "
                              "calls resume at midnight JST" % (api, self.limit_day), code=CODE_DAILY_LIMIT)
        form = {"userid": self.userid, "password": self.password}
        form.update(params)
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(sorted(form.items())).encode(),
                                         method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT, context=self.tls) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            status, headers, body = err.code, err.headers, err.read()
        except (urllib.error.URLError, OSError) as err:
            raise DriverError("occto %s: %s" % (api, err))
        code = headers.get("resultcode")
        if code != CODE_OK:
            if code == CODE_DAILY_LIMIT:
                self.limit_day = jst_today()
            message = error_message(body)
            if not code:
                raise DriverError("occto %s: HTTP %d without resultcode: %s" % (api, status, message), status=status)
            raise DriverError("occto %s: resultcode %s: %s" % (api, code, message), status=status, code=code)
        try:
            archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(body.strip(), validate=True)))
        except (ValueError, zipfile.BadZipFile) as err:
            raise DriverError("occto %s: the answer is not Base64 of a ZIP: %s" % (api, err))
        names = archive.namelist()
        if len(names) != 1:
            raise DriverError("occto %s: the answer's ZIP holds %d files, want 1" % (api, len(names)))
        return names[0], archive.read(names[0])

    def document(self, api, path, params):
        name, data = self.call(api, path, params)
        try:
            return parse_xml(decode_xml(data))
        except (ET.ParseError, UnicodeDecodeError) as err:
            raise DriverError("occto %s: %s: %s" % (api, name, err))

    def register(self, filename, xml):
        params = {"file": xml}
        if filename:
            params["filename"] = filename
        doc = self.document("BA13B101", PATH_REGISTER, params)
        number = child_text(doc, "SBMIT_RSLT/FILERECEPTIONNO")
        if not number:
            raise DriverError("occto BA13B101: the answer names no FILERECEPTIONNO")
        return number

    def list_files(self, since):
        doc = self.document("BA13B006", PATH_FILE_LIST, list_params(since, None))
        return [{
            "filereceptionno": child_text(e, "FILERECEPTIONNO"), "fileName": child_text(e, "FILE_NM"),
            "status": child_text(e, "PLAN_RECPT_STAT"), "statusName": child_text(e, "PLAN_RECPT_STAT_NM"),
            "planCount": to_int(child_text(e, "PLAN_CNT")), "errorCount": to_int(child_text(e, "ERR_CNT")),
        } for e in doc.findall("FILE_INFO")]

    def receipt_errors(self, number):
        doc = self.document("BA13B007", PATH_RECEIPT, {"filereceptionno": number})
        message = doc.find("RECPT_MSG")
        if message is None:
            raise DriverError("occto BA13B007: the answer holds no RECPT_MSG")
        return [{"code": child_text(e, "ERR_CD"), "item": child_text(e, "ERR_ITEM"),
                 "value": child_text(e, "ERR_VAL"), "message": child_text(e, "ERR_MSG")}
                for e in message.findall("ERR_INFO")]

    def submit(self, filename, xml):
        # Files are listed from the day before today (JST): a server clock a little behind
        # ours still lists the new file, without listing the company's whole history.
        since = jst_today() - datetime.timedelta(days=1)
        number = self.register(filename, xml)
        deadline = time.monotonic() + POLL_TIMEOUT
        while True:
            found = [f for f in self.list_files(since) if f["filereceptionno"] == number]
            if found and found[0]["status"] != STATUS_PROCESSING:
                result = {"filereceptionno": number, "status": found[0]["status"],
                          "statusName": found[0]["statusName"], "errors": []}
                if found[0]["status"] == STATUS_ERROR:
                    result["errors"] = self.receipt_errors(number)
                return result
            if time.monotonic() > deadline:
                raise DriverError("occto: file %s is still 処理中 after %.0f s" % (number, POLL_TIMEOUT))
            time.sleep(self.poll_interval)

    def list_plans(self, since, division):
        doc = self.document("BA13B103", PATH_PLAN_LIST, list_params(since, division))
        return [{
            "plandivision": child_text(e, "PLANDIVISION"), "occtoreceptionno": child_text(e, "OCCTORECEPTIONNO"),
            "submitPlanNo": child_text(e, "SBMIT_PLAN_NO"), "facilityCode": child_text(e, "FACILITY_CD"),
            "facilityName": child_text(e, "FACILITY_NM"), "version": to_int(child_text(e, "VERSION_NO")),
        } for e in doc.findall("PLAN_INFO")]

    def fetch_plans(self, since, division):
        plans = []
        for info in self.list_plans(since, division):
            name, data = self.call("BA13B102", PATH_PLAN_FILE, {
                "plandivision": info["plandivision"], "occtoreceptionno": info["occtoreceptionno"]})
            plans.append({"plandivision": info["plandivision"], "occtoreceptionno": info["occtoreceptionno"],
                          "entryName": name, "xml": decode_xml(data)})
        return plans


def list_params(since, division):
    params = {}
    if since is not None:
        params["from"] = since.strftime("%Y%m%d")
    if division:
        params["plandivision"] = division
    return params


def parse_from(params):
    value = params.get("from")
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise DriverError("from %r: want YYYYMMDD" % value)


def to_int(text):
    try:
        return int(text)
    except ValueError:
        return 0


def error_message(body):
    try:
        doc = parse_xml(decode_xml(body))
        found = doc if doc.tag == "RESULT_MSG" else doc.find(".//RESULT_MSG")
        if found is not None:
            return found.text or ""
    except (ET.ParseError, ValueError, DriverError):
        pass
    return body[:200].decode("utf-8", "replace").strip()


class Driver:
    def __init__(self):
        self.client = None
        self.ops = {
            "occto.submit": lambda c, p: c.submit(p.get("filename"), p.get("xml") or ""),
            "occto.listPlans": lambda c, p: {"plans": c.list_plans(parse_from(p), p.get("plandivision"))},
            "occto.fetchPlans": lambda c, p: {"plans": c.fetch_plans(parse_from(p), p.get("plandivision"))},
            "occto.listFiles": lambda c, p: {"files": c.list_files(parse_from(p))},
        }

    def handle(self, op, params):
        if op == "configure":
            occto = params.get("occto")  # a spec of another API leaves it unset
            self.client = OcctoClient(occto) if occto is not None else None
            return {}
        perform = self.ops.get(op)
        if perform is None:
            raise DriverError("op %r is not supported by this driver" % op, code="unsupported")
        if self.client is None:
            raise DriverError("occto is not configured: send configure with an occto block first")
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
