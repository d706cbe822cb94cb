#!/usr/bin/env node
// Conformance driver for ATLAS-Things and the JAIA code database in JavaScript, for Node 18 or
// later with no npm packages (node's fetch, crypto and readline).
//
// It speaks the protocol of conformance/DRIVER.md on stdin/stdout (one JSON object per line)
// and keeps the rules the suite judges, as the Python drivers beside it do:
//
// ATLAS-Things (configure's "atlas" block)
//   * every API call carries X-ATLAS-API-Key and Authorization: a raw HS256 JWT whose payload
//     is exactly {"requestDate": "YYYY-MM-DDThh:mm:ssZ"}, minted anew for every attempt;
//   * registrations carry every field, null when unset (the aggregation keys "" when unset);
//     a fresh UUID transactionId per registration, one item per call in single mode;
//   * 500/503/504/429 and transport failures are retried with exponential back-off, other 4xx
//     never; a retry re-sends the same body, and 400 errorCode 200 on a retry is success;
//   * download URLs are fetched with a plain GET without the ATLAS headers; an expired URL
//     (403) makes it ask for a new listing once; listings are followed while hasNext.
// JAIA (configure's "jaia" block)
//   * one login reused (token raw in Authorization, userId in every body), logging in again
//     once on the auth error (401); apiId, userId and appId "EXTERNAL" on every call;
//   * several stores go out as CSV imports of at most 10,000 rows, one with the single API;
//   * search pages from pageNumber 0 until total is covered, at most 200 a page;
//   * a rate limiter whose window counts from each answer; success only on 2xx and result 0;
//   * logout (DELETE /auth) when the caller is done.
//
// Logs go to stderr, which the suite copies into the spec's report.

import { createHmac, randomUUID } from "node:crypto";
import { createInterface } from "node:readline";

const log = (message) => process.stderr.write(`node-driver: ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const OP_BUDGET_MS = 28000; // inside the suite's 30 s per op
const ATTEMPT_TIMEOUT_MS = 20000;

// A failure reported to the suite as ok:false.
class DriverError extends Error {
  constructor(message, { status, code } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.attempts = 1;
  }
  toWire() {
    const error = { message: this.message };
    if (this.status) error.status = this.status;
    if (this.code !== undefined && this.code !== null) error.code = String(this.code);
    return error;
  }
}

// One HTTP exchange: { status, headers, body (Buffer) }. Transport failures throw.
async function exchange(url, { method = "GET", headers = {}, body } = {}) {
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

// ---------------------------------------------------------------------------------------
// ATLAS-Things

const ATLAS_RETRYABLE = new Set([500, 503, 504, 429]);
const TRANSACTION_REGISTERED = "200";
const ITEM_EMPTY_WHEN_UNSET = ["largeClassAggregationKey", "middleClassAggregationKey", "smallClassAggregationKey"];
const DETAIL_FIELDS = ["linkId", "linkCode1", "linkCode2", "linkCode3"]
  .concat([1, 2, 3, 4, 5].map((i) => `category${i}`))
  .concat([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `attribute${i}`));

class URLExpired extends DriverError {}

const b64url = (data) => Buffer.from(data).toString("base64url");

// HS256 over {"requestDate": now in UTC to the second}, signed with the API secret.
function mintJWT(secret) {
  const requestDate = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const input = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify({ requestDate }))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

// Reads ProblemDetails, API Gateway's {"message"} or any other error body.
function atlasError(status, body) {
  const text = body.toString("utf8").trim();
  let code, detail;
  try {
    const doc = JSON.parse(text);
    if (doc && typeof doc === "object") {
      // errorCode is an integer, but the upstream's maintenance sample sends "901".
      code = doc.errorCode === undefined || doc.errorCode === null ? undefined : String(doc.errorCode).trim();
      detail = doc.detail || doc.message;
    }
  } catch {
    detail = text.slice(0, 200) || undefined;
  }
  return new DriverError(`atlas: ${status}${code ? ` errorCode ${code}` : ""}: ${detail || "error"}`, { status, code });
}

class AtlasClient {
  constructor(settings) {
    this.baseUrl = String(settings.baseUrl || "").replace(/\/+$/, "");
    if (!this.baseUrl) throw new DriverError("configure: atlas.baseUrl is required");
    this.apiKey = settings.apiKey || "";
    this.apiSecret = settings.apiSecret || "";
    const retry = settings.retry || {};
    this.maxAttempts = retry.maxAttempts || 4;
    this.baseDelayMs = retry.baseDelayMs || 500;
  }

  // One logical request with retries: { status, body, attempts }.
  async send(method, url, body, signed, deadline) {
    for (let attempt = 1; ; attempt++) {
      const headers = {};
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (signed) {
        headers["X-ATLAS-API-Key"] = this.apiKey;
        headers["Authorization"] = mintJWT(this.apiSecret); // fresh per attempt
        headers["Accept"] = "application/json";
      }
      let answer, failure;
      try {
        answer = await exchange(url, { method, headers, body });
      } catch (err) {
        failure = err;
      }
      const transient = failure !== undefined || ATLAS_RETRYABLE.has(answer.status);
      const wait = Math.min(this.baseDelayMs * 2 ** (attempt - 1), 30000);
      const jittered = wait + Math.random() * (wait / 10);
      if (!transient || attempt >= this.maxAttempts || Date.now() + jittered > deadline) {
        if (failure !== undefined) throw new DriverError(`atlas: ${method} ${url.split("?")[0]}: ${failure.cause?.message || failure.message}`);
        return { ...answer, attempts: attempt };
      }
      log(`retrying ${method} ${url.split("?")[0]} after attempt ${attempt} of ${this.maxAttempts} (${failure ? failure.message : `status ${answer.status}`})`);
      await sleep(jittered);
    }
  }

  async call(method, path, deadline, { query, body } = {}) {
    const url = this.baseUrl + path + (query ? `?${new URLSearchParams(query)}` : "");
    const answer = await this.send(method, url, body, true, deadline);
    if (answer.status < 200 || answer.status > 299) {
      const error = atlasError(answer.status, answer.body);
      error.attempts = answer.attempts;
      throw error;
    }
    return answer.body;
  }

  async getJSON(path, deadline, query) {
    return JSON.parse((await this.call("GET", path, deadline, { query })).toString("utf8"));
  }

  // GETs a download URL without the ATLAS headers, as the upstream requires.
  async fetchURL(url, deadline) {
    const answer = await this.send("GET", new URL(url, this.baseUrl + "/").href, undefined, false, deadline);
    if (answer.status === 403) throw new URLExpired(`download URL expired: ${atlasError(403, answer.body).message}`, { status: 403 });
    if (answer.status < 200 || answer.status > 299) throw atlasError(answer.status, answer.body);
    return answer.body;
  }

  // Runs work on a listing, and once more on a new listing if a URL had expired.
  async withFreshURLs(listPage, work) {
    try {
      const page = await listPage();
      return [page, await work(page)];
    } catch (err) {
      if (!(err instanceof URLExpired)) throw err;
      log("download URL expired; requesting a new listing");
    }
    const page = await listPage();
    return [page, await work(page)];
  }

  async register(flow, params, deadline) {
    if (params.mode !== "single" && params.mode !== "bulk") {
      throw new DriverError(`registration params: mode must be "single" or "bulk", not ${JSON.stringify(params.mode)}`);
    }
    const items = params.items || [];
    if (items.length === 0) throw new DriverError("registration has no items");
    if (params.mode === "bulk") {
      await this.sendRegistration(`/${flow}/items`, params, items, deadline);
      return {};
    }
    for (const [index, item] of items.entries()) { // the single endpoints take one item
      try {
        await this.sendRegistration(`/${flow}/item`, params, [item], deadline);
      } catch (err) {
        if (items.length > 1 && err instanceof DriverError) {
          err.message = `item ${index + 1} of ${items.length} (trackingId ${item.trackingId}), earlier items were accepted: ${err.message}`;
        }
        throw err;
      }
    }
    return {};
  }

  async sendRegistration(path, params, items, deadline) {
    const transactionId = randomUUID();
    try {
      await this.call("POST", path, deadline, { body: JSON.stringify(registrationBody(transactionId, params, items)) });
    } catch (err) {
      // A retry re-sends the same transactionId: "already registered" on a retry means an
      // earlier attempt was committed.
      if (err.status === 400 && err.code === TRANSACTION_REGISTERED && err.attempts > 1) {
        log(`transactionId ${transactionId}: an earlier attempt was committed`);
        return;
      }
      throw err;
    }
  }

  async download(path, recordsKey, cursor, deadline) {
    const records = [];
    for (;;) {
      const query = cursor === null || cursor === undefined ? undefined : { cursor };
      const [page, fetched] = await this.withFreshURLs(
        () => this.getJSON(path, deadline, query),
        async (listing) => {
          const out = [];
          for (const url of listing.urls || []) {
            out.push(...(JSON.parse((await this.fetchURL(url, deadline)).toString("utf8"))[recordsKey] || []));
          }
          return out;
        },
      );
      records.push(...fetched);
      const last = page.cursor || "";
      if (!page.hasNext) return [records, last];
      if (query && last === cursor) throw new DriverError(`atlas: GET ${path}: hasNext with an unchanged cursor`);
      cursor = last;
    }
  }

  async getMaster(name, lastDownload, deadline) {
    const query = lastDownload === null || lastDownload === undefined ? undefined : { lastDownloadDateTime: lastDownload };
    const [, content] = await this.withFreshURLs(
      () => this.getJSON(`/master/${encodeURIComponent(name || "")}`, deadline, query),
      async (listing) => (listing.url ? this.fetchURL(listing.url, deadline) : null),
    );
    return content === null ? { found: false, content: "" } : { found: true, content: content.toString("utf8") };
  }
}

// Every field in the upstream's order; unset ones null (aggregation keys "").
function registrationBody(transactionId, params, items) {
  const orNull = (v) => (v === undefined ? null : v);
  return {
    transactionId,
    movementSlipNo: orNull(params.movementSlipNo),
    baseId: orNull(params.baseId),
    counterBaseId: orNull(params.counterBaseId),
    targetPath: orNull(params.targetPath),
    items: items.map((item) => {
      const wire = {};
      for (const key of ["trackingId", "uid", "autoIdType", "path", "itemCount", "movedDateTime", "individualRecognitionCode"]) {
        wire[key] = orNull(item[key]);
      }
      for (const key of ITEM_EMPTY_WHEN_UNSET) wire[key] = item[key] === undefined || item[key] === null ? "" : item[key];
      wire.isInactivated = Boolean(item.isInactivated);
      const auto = item.autoInactive;
      wire.autoInactive = auto === undefined || auto === null ? null : {
        isAutoInactivated: Boolean(auto.isAutoInactivated),
        targetParentPath: orNull(auto.targetParentPath),
        elapsedDays: orNull(auto.elapsedDays),
      };
      if (item.detail !== undefined && item.detail !== null) { // omitted when the caller set none
        wire.detail = Object.fromEntries(DETAIL_FIELDS.map((key) => [key, orNull(item.detail[key])]));
      }
      return wire;
    }),
  };
}

const atlasOps = {
  "atlas.registerShipping": (c, p, d) => c.register("shipping", p, d),
  "atlas.registerReceiving": (c, p, d) => c.register("receiving", p, d),
  "atlas.downloadShipping": async (c, p, d) => {
    const [records, cursor] = await c.download("/items/download", "actualShippingData", p.cursor, d);
    return { records, cursor };
  },
  "atlas.downloadInactive": async (c, p, d) => {
    const [ids, cursor] = await c.download("/inactivetrackingids/download", "inactiveTrackingIds", p.cursor, d);
    return { inactiveTrackingIds: ids, cursor };
  },
  "atlas.getMaster": (c, p, d) => c.getMaster(p.name, p.lastDownloadDateTime, d),
  "atlas.getLogCredentials": (c, p, d) => c.getJSON("/log/credentials", d),
};

// ---------------------------------------------------------------------------------------
// JAIA code database

const APP_ID = "EXTERNAL";
const MAX_IMPORT_ROWS = 10000;
const MAX_DISPLAY_NUMBER = 200;
// The store import's CSV columns, in the manual's STORE_CREATE order (specs/jaia/NOTES.md).
const STORE_COLUMNS = ("jaiaCode,jaiaCompanyCode,infoOpenStartDate,infoOpenEndDate,informationRegistrationCategory," +
  "storeName,storeNameKana,storeZipCode,storeAddress1,storeAddress2,storePhoneNumber,storeFormat,storeCategory," +
  "operatingUnits,fueiLaw,url,remarks,publishSetting,publishCompanyCategory,publishCompanyCode").split(",");

// At most max requests in any window, each request's window counted from its answer (the
// upstream counts arrivals, which come before the answer); requests in flight hold a slot.
class AnswerWindowLimiter {
  constructor(max, windowMs) {
    this.max = max;
    this.windowMs = windowMs;
    this.inFlight = 0;
    this.answered = [];
  }
  async acquire() {
    for (;;) {
      const now = Date.now();
      while (this.answered.length && now >= this.answered[0] + this.windowMs) this.answered.shift();
      if (this.inFlight + this.answered.length < this.max) {
        this.inFlight++;
        return;
      }
      await sleep(this.answered.length ? this.answered[0] + this.windowMs - now + 1 : 5);
    }
  }
  release() {
    this.inFlight--;
    this.answered.push(Date.now());
  }
}

class JaiaError extends DriverError {
  constructor(apiId, status, code, messages, raw) {
    let text = `jaia ${apiId}: HTTP ${status}`;
    text += raw !== undefined ? `, not a JAIA answer: ${JSON.stringify(raw.slice(0, 200))}` : `, code ${code}${messages.length ? `: ${messages.join(" / ")}` : ""}`;
    super(text, { status, code: raw !== undefined ? undefined : code });
    this.authFailure = raw === undefined && (code === 401 || status === 401);
  }
}

// The envelope of a success, or a JaiaError with every errorMessageList entry.
function decodeEnvelope(apiId, status, body) {
  let env;
  try {
    env = JSON.parse(body.toString("utf8"));
  } catch {
    env = undefined;
  }
  if (!env || typeof env !== "object" || env.result === undefined || env.result === null) {
    throw new JaiaError(apiId, status, undefined, [], body.toString("utf8"));
  }
  if (status >= 200 && status < 300 && env.result === 0) return env;
  let items = env.errorMessageList || env.errorMessage || [];
  if (!Array.isArray(items)) items = [items];
  const messages = items.map((item) => {
    if (item && typeof item === "object" && item.message) return `row ${item.row}: ${item.message}`;
    return typeof item === "string" ? item : JSON.stringify(item);
  });
  throw new JaiaError(apiId, status, env.code, messages);
}

const isCSV = (answer) => answer.status === 200 && (answer.headers.get("content-type") || "").split(";")[0].trim().toLowerCase() === "text/csv";
const nonEmpty = (record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ""));

function encodeCSV(columns, records) {
  const field = (v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = [columns.map(field).join(",")];
  records.forEach((record, i) => {
    const unknown = Object.keys(record).filter((k) => !columns.includes(k));
    if (unknown.length) throw new DriverError(`record ${i + 1}: ${unknown.join(", ")} is not an import column`);
    lines.push(columns.map((c) => field(String(record[c] ?? ""))).join(","));
  });
  return lines.join("\r\n") + "\r\n";
}

// Near-equal batches of at most most records, in order.
function batches(records, most) {
  const n = Math.ceil(records.length / most);
  return Array.from({ length: n }, (_, i) => records.slice(Math.floor((i * records.length) / n), Math.floor(((i + 1) * records.length) / n)));
}

class JaiaClient {
  constructor(settings) {
    this.base = String(settings.baseUrl || "").replace(/\/+$/, "");
    if (!this.base) throw new DriverError("configure: jaia.baseUrl is required");
    this.userMail = settings.userMail;
    this.password = settings.password;
    const rate = settings.rateLimit || {};
    const [max, windowMs] = rate.requests > 0 && rate.windowMs > 0 ? [rate.requests, rate.windowMs] : [100, 60000];
    this.limiter = new AnswerWindowLimiter(max, windowMs); // the manual's 100 a minute by default
    this.session = null;
  }

  async exchange(method, path, token, contentType, body) {
    const headers = { "Content-Type": contentType, Accept: "application/json, text/csv" };
    if (token) headers.Authorization = token; // raw, no scheme (§1-3)
    await this.limiter.acquire();
    try {
      return await exchange(this.base + path, { method, headers, body });
    } catch (err) {
      throw new DriverError(`jaia ${method} ${path}: ${err.cause?.message || err.message}`);
    } finally {
      this.limiter.release();
    }
  }

  async login() {
    const answer = await this.exchange("POST", "/auth", null, "application/json",
      JSON.stringify({ appId: APP_ID, userMail: this.userMail, password: this.password }));
    const meta = decodeEnvelope("AUTH_LOGIN", answer.status, answer.body).metadata || {};
    if (!meta.criptToken || !meta.userId) throw new DriverError("jaia AUTH_LOGIN: the answer has no metadata.userId and metadata.criptToken");
    this.session = meta;
    return meta;
  }

  // Sends a call with the current login; build(session) gives [contentType, body]. The auth
  // error makes it log in again and send once more: the refused call changed nothing.
  async invoke(apiId, method, path, build) {
    let session = this.session || (await this.login());
    let answer = await this.exchange(method, path, session.criptToken, ...(await build(session)));
    if (!isCSV(answer)) {
      try {
        decodeEnvelope(apiId, answer.status, answer.body);
      } catch (err) {
        if (err instanceof JaiaError && err.authFailure) {
          log(`${apiId} refused the token (${err.message}); logging in again`);
          session = await this.login();
          answer = await this.exchange(method, path, session.criptToken, ...(await build(session)));
        }
      }
    }
    return answer;
  }

  // A JSON call: the common items of §1-4 plus fields; returns the success envelope.
  async call(apiId, method, path, fields) {
    const answer = await this.invoke(apiId, method, path, (s) => ["application/json",
      JSON.stringify({ ...fields, apiId, userId: s.userId, appId: APP_ID })]);
    return decodeEnvelope(apiId, answer.status, answer.body);
  }

  async logout() {
    const session = this.session;
    this.session = null;
    if (!session) return {};
    const answer = await this.exchange("DELETE", "/auth", session.criptToken, "application/json",
      JSON.stringify({ userId: session.userId, appId: APP_ID }));
    try {
      decodeEnvelope("AUTH_LOGOUT", answer.status, answer.body);
    } catch (err) {
      if (!(err instanceof JaiaError && err.authFailure)) throw err; // an expired token ended it already
    }
    return {};
  }

  async createStores(stores) {
    if (stores.length === 0) return 0;
    if (stores.length === 1) {
      await this.call("STORE_CREATE", "POST", "/store", { dataset: nonEmpty(stores[0]) });
      return 1;
    }
    let created = 0;
    for (const batch of batches(stores, MAX_IMPORT_ROWS)) {
      try {
        created += await this.importStores(batch);
      } catch (err) {
        if (created) err.message += ` (${created} of ${stores.length} stores were imported by earlier CSVs)`;
        throw err;
      }
    }
    return created;
  }

  async importStores(stores) {
    const csv = encodeCSV(STORE_COLUMNS, stores);
    const apiId = "STORE_IMPORT_CREATE";
    const answer = await this.invoke(apiId, "POST", "/stores/import", async (s) => {
      const form = new FormData();
      form.append("body", new Blob([JSON.stringify({ apiId, userId: s.userId, appId: APP_ID, dataset: {} })], { type: "application/json" }), "blob");
      form.append("file", new Blob([csv], { type: "text/csv" }), "store.csv");
      // Serialised once per send, so a re-login re-sends the same parts with the new userId.
      const encoded = new Response(form);
      return [encoded.headers.get("content-type"), Buffer.from(await encoded.arrayBuffer())];
    });
    const meta = decodeEnvelope(apiId, answer.status, answer.body).metadata || {};
    if (meta.success === undefined) throw new DriverError("jaia STORE_IMPORT_CREATE: the success answer lacks metadata total/success/error");
    return meta.success;
  }

  async searchStores(p) {
    if (!p.conditions?.length || !p.columns?.length) throw new DriverError("jaia STORE_SELECT: a search needs at least one condition and one column");
    const size = p.displayNumber > 0 && p.displayNumber <= MAX_DISPLAY_NUMBER ? p.displayNumber : MAX_DISPLAY_NUMBER;
    const fields = { searchConditions: p.conditions, datasetList: p.columns.map((columnName) => ({ columnName })), displayNumber: size };
    if (p.sort?.length) fields.sortList = p.sort;
    if (p.infoOpenStatus) fields.infoOpenStatus = p.infoOpenStatus;
    const stores = [];
    for (let page = 0; ; page++) {
      const env = await this.call("STORE_SELECT", "POST", "/stores", { ...fields, pageNumber: page });
      if (env.total === undefined || env.total === null) throw new DriverError("jaia STORE_SELECT: the success answer lacks total");
      if (env.pageNumber !== undefined && env.pageNumber !== null && env.pageNumber !== page) {
        throw new DriverError(`jaia STORE_SELECT: asked for page ${page}, the upstream answered page ${env.pageNumber}`);
      }
      const rows = env.metadataList || [];
      stores.push(...rows);
      if (rows.length === 0 || (page + 1) * size >= env.total) return { total: env.total, stores };
    }
  }

  async exportDeletedStores(p) {
    if (!p.conditions?.length) throw new DriverError("jaia STORE_EXPORT_DELETED: an export needs at least one condition");
    const apiId = "STORE_EXPORT_DELETED";
    const fields = { searchConditions: p.conditions };
    if (p.infoOpenStatus) fields.infoOpenStatus = p.infoOpenStatus;
    const answer = await this.invoke(apiId, "POST", "/stores/export/deleted", (s) => ["application/json",
      JSON.stringify({ ...fields, apiId, userId: s.userId, appId: APP_ID })]);
    if (isCSV(answer)) return { csv: answer.body.toString("utf8") };
    decodeEnvelope(apiId, answer.status, answer.body);
    throw new DriverError("jaia STORE_EXPORT_DELETED: the success answer lacks the CSV file");
  }
}

const jaiaOps = {
  "jaia.createStores": async (c, p) => {
    const stores = (p.stores || []).map((store) => ({ ...(p.defaults || {}), ...store }));
    return { created: await c.createStores(stores) };
  },
  "jaia.updateStore": async (c, p) => (await c.call("STORE_UPDATE", "PUT", "/store", { dataset: nonEmpty(p.store || {}) }), {}),
  "jaia.deleteStore": async (c, p) => (await c.call("STORE_DELETE", "DELETE", "/store", { dataset: { jaiaCode: p.jaiaCode } }), {}),
  "jaia.searchStores": (c, p) => c.searchStores(p),
  "jaia.exportDeletedStores": (c, p) => c.exportDeletedStores(p),
  "jaia.getCodes": async (c, p) => {
    if (!p.codeIds?.length) throw new DriverError("jaia CODES_SELECT: no code ID given");
    const env = await c.call("CODES_SELECT", "POST", "/codes", { datasetList: p.codeIds.map((codeId) => ({ codeId })) });
    return { codes: env.metadataList || [] };
  },
  "jaia.logout": (c) => c.logout(),
};

// ---------------------------------------------------------------------------------------
// The protocol

const clients = { atlas: null, jaia: null };
const makers = { atlas: (s) => new AtlasClient(s), jaia: (s) => new JaiaClient(s) };
const ops = { ...atlasOps, ...jaiaOps };

async function handle(op, params) {
  if (op === "configure") {
    for (const api of Object.keys(makers)) clients[api] = params[api] ? makers[api](params[api]) : null;
    return {};
  }
  const perform = ops[op];
  if (!perform) throw new DriverError(`op ${JSON.stringify(op)} is not supported by this driver`, { code: "unsupported" });
  const api = op.split(".")[0];
  if (!clients[api]) throw new DriverError(`${api} is not configured: send configure with a ${api} block first`);
  return perform(clients[api], params, Date.now() + OP_BUDGET_MS);
}

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
    if (!request || typeof request.op !== "string") throw new Error("missing op");
  } catch (err) {
    return { id: 0, ok: false, error: { message: `malformed request: ${err.message}` } };
  }
  try {
    const result = await handle(request.op, request.params ?? {});
    return { id: request.id, ok: true, result: result ?? {} };
  } catch (err) {
    if (err instanceof DriverError) return { id: request.id, ok: false, error: err.toWire() };
    log(err.stack ?? String(err)); // a driver bug fails one op, not every spec after it
    return { id: request.id, ok: false, error: { message: String(err) } };
  }
}

// Requests are answered one at a time, in order.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  process.stdout.write(JSON.stringify(await answer(line)) + "\n");
}
