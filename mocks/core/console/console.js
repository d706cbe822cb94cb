// upmock console: a page over the control API (/__upmock/…) of one session. It uses only
// endpoints any other client can call, with the same token and the same origin rules.
'use strict';

const $ = (sel, el = document) => el.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') n.className = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) n.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null) n.append(k instanceof Node ? k : String(k));
  return n;
};

// Where the page lives: [prefix]/[s/NAME/]__upmock/ui/
const loc = location.pathname.match(/^(.*?)(?:\/s\/([^/]+))?\/__upmock\/ui(?:\/.*)?$/) || [];
const ui = {
  base: loc[1] || '',
  session: loc[2] ? decodeURIComponent(loc[2]) : 'default',
  token: sessionStorage.getItem('upmock-token') || '',
  apis: [],
  entries: [],      // journal entries, oldest first
  lastSeq: 0,
  open: new Set(),  // seqs whose detail is open
  view: 'journal',
  clock: null,
};
const MAX_ENTRIES = 2000;

function ctlURL(path, session = ui.session) {
  return `${ui.base}/s/${encodeURIComponent(session)}/__upmock/${path}`;
}

// api calls the control API; bodies are JSON, the token goes as a bearer header.
async function api(method, path, body, session) {
  const headers = { Accept: 'application/json' };
  if (ui.token) headers.Authorization = 'Bearer ' + ui.token;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(ctlURL(path, session), init);
  if (r.status === 401) {
    askToken();
    throw new Error('the control API needs its token (button "token", top right)');
  }
  if (!r.ok) {
    let msg = r.statusText;
    try { msg = (await r.json()).error || msg; } catch (_) { /* not JSON */ }
    const err = new Error(`${method} ${path}: ${r.status} ${msg}`);
    err.status = r.status;
    throw err;
  }
  if (r.status === 204) return null;
  const ct = r.headers.get('Content-Type') || '';
  return ct.includes('json') ? r.json() : r.text();
}

function banner(msg) {
  const b = $('#banner');
  b.textContent = msg || '';
  b.classList.toggle('hidden', !msg);
}

function askToken() {
  const d = $('#token-dialog');
  if (d.open) return;
  $('#token-input').value = ui.token;
  d.showModal();
}
$('#token-dialog').addEventListener('close', () => {
  if ($('#token-dialog').returnValue !== 'ok') return;
  ui.token = $('#token-input').value.trim();
  sessionStorage.setItem('upmock-token', ui.token);
  banner('');
  refreshAll();
});
$('#token-button').addEventListener('click', askToken);

// ---- formatting ----------------------------------------------------------------------

// mockTime parses the journal's RFC 3339 time (nanoseconds) to milliseconds, keeping the
// sub-millisecond part so close retries keep their order.
function mockTime(s) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s || '');
  if (!m) return Date.parse(s);
  const frac = (m[2] || '').padEnd(9, '0');
  return Date.parse(m[1] + m[3]) + Number(frac.slice(0, 3)) + Number(frac.slice(3)) / 1e6;
}
function clockText(ms) {
  const d = new Date(ms);
  return d.toISOString().slice(11, 23);
}
function bytesText(n) {
  if (n < 1024) return n + ' B';
  if (n < 1 << 20) return (n / 1024).toFixed(1) + ' KiB';
  return (n / (1 << 20)).toFixed(1) + ' MiB';
}
function ago(iso) {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return Math.round(s) + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  return Math.round(s / 3600) + ' h ago';
}

function formatXML(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return text;
  const out = [];
  const decl = /^<\?xml[^>]*\?>/.exec(text.trim());
  if (decl) out.push(decl[0]);
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const walk = (node, depth) => {
    const pad = '  '.repeat(depth);
    if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      const t = node.nodeValue.trim();
      if (t) out.push(pad + esc(t));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attrs = Array.from(node.attributes).map((a) => ` ${a.name}="${esc(a.value)}"`).join('');
    const kids = Array.from(node.childNodes).filter((k) => k.nodeType !== Node.TEXT_NODE || k.nodeValue.trim());
    if (kids.length === 0) out.push(`${pad}<${node.nodeName}${attrs}/>`);
    else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE) out.push(`${pad}<${node.nodeName}${attrs}>${esc(kids[0].nodeValue.trim())}</${node.nodeName}>`);
    else {
      out.push(`${pad}<${node.nodeName}${attrs}>`);
      kids.forEach((k) => walk(k, depth + 1));
      out.push(`${pad}</${node.nodeName}>`);
    }
  };
  walk(doc.documentElement, 0);
  return out.join('\n');
}

// pretty shows a body as JSON, XML or form fields when it is one, else as it is.
function pretty(body) {
  const t = (body || '').trim();
  if (!t) return '(empty)';
  if (t[0] === '{' || t[0] === '[') {
    try { return JSON.stringify(JSON.parse(t), null, 2); } catch (_) { /* not JSON */ }
  }
  if (t[0] === '<') return formatXML(t);
  if (/^[^\s=&]+=[^\s]*(&[^\s=&]+=[^\s]*)*$/.test(t)) {
    return t.split('&').map((kv) => {
      const [k, v = ''] = kv.split('=');
      const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (_) { return s; } };
      return `${dec(k)} = ${dec(v)}`;
    }).join('\n');
  }
  return body;
}

// ---- journal ---------------------------------------------------------------------------

function statusClass(st) { return 's' + String(st || 0)[0]; }

function matchesFilter(e) {
  const api = $('#f-api').value, op = $('#f-op').value.trim().toLowerCase();
  const st = $('#f-status').value, text = $('#f-text').value.trim().toLowerCase();
  if (api && e.api !== api) return false;
  if (op && !(e.operation || '').toLowerCase().includes(op)) return false;
  if (st === 'err' && e.status > 0 && e.status < 400) return false;
  if (st === 'viol' && !(e.specViolations || []).length) return false;
  if (st === 'fault' && !e.fault) return false;
  if (/^[2-5]$/.test(st) && String(e.status)[0] !== st) return false;
  if (text) {
    const hay = [e.path, e.query, e.body, e.responseBody, e.fault, JSON.stringify(e.annotations || {}), (e.specViolations || []).join(' ')].join(' ').toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

function notesOf(e) {
  const tags = [];
  for (const [k, v] of Object.entries(e.annotations || {})) tags.push(el('span', { class: 'tag', title: `${k}: ${v}` }, `${k}: ${v}`));
  if (e.fault) tags.push(el('span', { class: 'tag fault' }, 'fault: ' + e.fault));
  const n = (e.specViolations || []).length;
  if (n) tags.push(el('span', { class: 'tag viol' }, `${n} spec violation${n > 1 ? 's' : ''}`));
  return tags;
}

function entryRow(e) {
  const req = `${e.method} ${e.path}${e.query ? '?' + e.query : ''}`;
  const row = el('tr', { class: 'entry' + (ui.open.has(e.seq) ? ' open' : ''), 'data-seq': e.seq, 'data-status': e.status },
    el('td', {}, e.seq),
    el('td', { class: 'mono', title: e.time }, clockText(mockTime(e.time))),
    el('td', {}, e.api),
    el('td', {}, e.operation || ''),
    el('td', { class: 'mono' }, req.length > 90 ? req.slice(0, 89) + '…' : req),
    el('td', { class: 'status ' + statusClass(e.status) }, e.status || 'dropped'),
    el('td', {}, notesOf(e)));
  row.addEventListener('click', () => {
    if (ui.open.has(e.seq)) ui.open.delete(e.seq); else ui.open.add(e.seq);
    renderJournal();
  });
  return row;
}

function headersText(h) {
  return Object.entries(h || {}).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, vs]) => vs.map((v) => `${k}: ${v}`).join('\n')).join('\n') || '(none)';
}

function hasZIP(s) { return (s || '').startsWith('PK\u0003\u0004') || (s || '').includes('UEsDB'); }

function detailRow(e) {
  const decoded = el('div', { class: 'decoded' });
  const request = el('div', {},
    el('h3', {}, 'Request headers'), el('pre', {}, headersText(e.headers)),
    el('h3', {}, 'Request body' + (e.bodyTruncated ? ' (first 64 KiB)' : '')), el('pre', {}, pretty(e.body)));
  const answer = el('div', {},
    el('h3', {}, `Answer ${e.status || '(connection dropped)'}` + (e.durationMs !== undefined ? ` in ${e.durationMs} ms` : '')),
    el('pre', {}, pretty(e.responseBody)));
  const notes = el('div', {});
  const ann = Object.entries(e.annotations || {});
  if (ann.length) notes.append(el('h3', {}, 'What upmock noted'), el('pre', {}, ann.map(([k, v]) => `${k}: ${v}`).join('\n')));
  if (e.fault) notes.append(el('h3', {}, 'Fault applied'), el('pre', {}, e.fault));
  if ((e.specViolations || []).length) notes.append(el('h3', { class: 'violations' }, 'Where the request broke the upstream\'s OpenAPI document'), el('pre', { class: 'violations' }, e.specViolations.join('\n')));
  if (hasZIP(e.body) || hasZIP(e.responseBody)) {
    notes.append(el('button', { type: 'button', onclick: (ev) => { ev.stopPropagation(); showDecoded(e.seq, decoded); } }, 'show ZIP contents'), decoded);
  }
  const td = el('td', { colspan: 7 }, el('div', { class: 'cols' }, request, answer), notes);
  td.addEventListener('click', (ev) => ev.stopPropagation());
  return el('tr', { class: 'detail' }, td);
}

async function showDecoded(seq, box) {
  box.textContent = 'decoding…';
  try {
    const d = await api('GET', `requests/${seq}/decoded`);
    box.textContent = '';
    for (const p of d.parts) {
      box.append(el('h3', {}, `ZIP in the ${p.where}`));
      if (p.error) box.append(el('p', { class: 'violations' }, p.error));
      for (const f of p.entries || []) {
        box.append(el('details', { open: true }, el('summary', {}, `${f.name} (${bytesText(f.size)})${f.note ? ' — ' + f.note : ''}`), el('pre', {}, f.text ? pretty(f.text) : '')));
      }
    }
    if (!d.parts.length) box.textContent = 'no ZIP found';
  } catch (err) { box.textContent = err.message; }
}

function renderJournal() {
  const body = $('#journal tbody');
  const shown = ui.entries.filter(matchesFilter).reverse();
  body.replaceChildren(...shown.flatMap((e) => ui.open.has(e.seq) ? [entryRow(e), detailRow(e)] : [entryRow(e)]));
  $('#journal-count').textContent = `${shown.length} of ${ui.entries.length} requests`;
}

async function pollJournal() {
  const d = await api('GET', `requests?since=${ui.lastSeq}`);
  const fresh = d.requests || [];
  if (!fresh.length) return false;
  ui.entries.push(...fresh);
  if (ui.entries.length > MAX_ENTRIES) ui.entries.splice(0, ui.entries.length - MAX_ENTRIES);
  ui.lastSeq = fresh[fresh.length - 1].seq;
  return true;
}

async function reloadJournal() {
  ui.entries = [];
  ui.lastSeq = 0;
  ui.open.clear();
  await pollJournal();
  renderJournal();
}

// ---- timeline --------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, text) => {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
};
const statusColour = { s2: '#1a7f37', s3: '#2957c4', s4: '#b35900', s5: '#c4302b', s0: '#c4302b' };

function renderTimeline() {
  const box = $('#timeline');
  const entries = ui.entries.filter(matchesFilter);
  if (!entries.length) { box.replaceChildren(el('p', { class: 'muted' }, 'No requests yet in this session (or none match the journal filter).')); return; }
  const lanes = [...new Set(entries.map((e) => `${e.api} ${e.operation || e.method + ' ' + e.path}`))];
  const times = entries.map((e) => mockTime(e.time));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const span = Math.max(t1 - t0, 1000); // at least a second, so one request is not the whole axis
  const left = 280, right = 30, top = 30, laneH = 28;
  const width = Math.max(box.clientWidth || 1100, 700);
  const height = top + lanes.length * laneH + 20;
  const x = (t) => left + ((t - t0) / span) * (width - left - right);
  const s = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'requests on the mock clock' });
  for (let i = 0; i <= 5; i++) {
    const t = t0 + (span * i) / 5, xx = x(t);
    s.append(svg('line', { x1: xx, x2: xx, y1: top - 8, y2: height - 10, stroke: '#e6e9ef' }));
    s.append(svg('text', { x: xx, y: 16, 'font-size': 11, 'text-anchor': 'middle', fill: '#667085' }, i === 0 ? clockText(t0) : `+${((t - t0) / 1000).toFixed(span < 10000 ? 3 : 1)} s`));
  }
  lanes.forEach((lane, i) => {
    const y = top + i * laneH + laneH / 2;
    s.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, stroke: '#eef0f4' }));
    s.append(svg('text', { x: 8, y: y + 4, 'font-size': 12, fill: '#1d2330' }, lane.length > 40 ? lane.slice(0, 39) + '…' : lane));
    const mine = entries.filter((e) => `${e.api} ${e.operation || e.method + ' ' + e.path}` === lane);
    let prev = null;
    for (const e of mine) {
      const t = mockTime(e.time), xx = x(t);
      if (prev !== null && mine.length <= 40 && xx - x(prev) > 46) {
        s.append(svg('text', { x: (xx + x(prev)) / 2, y: y - 7, 'font-size': 10, 'text-anchor': 'middle', fill: '#667085' }, `+${Math.round(t - prev)} ms`));
      }
      const dot = svg('circle', { cx: xx, cy: y, r: 6, fill: statusColour[statusClass(e.status)] || '#667085', stroke: e.fault ? '#b35900' : '#fff', 'stroke-width': e.fault ? 3 : 1, 'data-seq': e.seq });
      dot.append(svg('title', {}, `#${e.seq} ${clockText(t)} ${e.method} ${e.path} → ${e.status || 'dropped'}${e.fault ? ' (fault: ' + e.fault + ')' : ''}`));
      dot.addEventListener('click', () => { ui.open.add(e.seq); show('journal'); renderJournal(); document.querySelector(`tr[data-seq="${e.seq}"]`)?.scrollIntoView({ block: 'center' }); });
      s.append(dot);
      prev = t;
    }
  });
  box.replaceChildren(s);
}

// ---- controls --------------------------------------------------------------------------

async function refreshClock() {
  const c = await api('GET', 'clock');
  ui.clock = c;
  $('#clock').textContent = `${c.now}${c.frozen ? ' (frozen)' : ''}`;
  $('#clock-state').textContent = `now ${c.now}\noffset ${c.offset}${c.frozen ? '\nfrozen' : ''}`;
}

async function clockDo(body) {
  try { await api('POST', 'clock', body); await refreshClock(); banner(''); } catch (err) { banner(err.message); }
}
$('#clock-advance').addEventListener('submit', (ev) => { ev.preventDefault(); clockDo({ advance: $('#advance').value.trim() }); });
$('#clock-set').addEventListener('submit', (ev) => { ev.preventDefault(); clockDo({ set: $('#set-time').value.trim() }); });
$('#clock-freeze').addEventListener('click', () => clockDo({ freeze: true }));
$('#clock-unfreeze').addEventListener('click', () => clockDo({ freeze: false }));
$('#clock-reset').addEventListener('click', () => clockDo({ reset: true }));

async function refreshMaintenance() {
  const m = await api('GET', 'maintenance');
  $('#maintenance').replaceChildren(...Object.keys(m).sort().map((name) => el('label', { class: 'row' },
    el('input', { type: 'checkbox', checked: m[name], 'data-api': name, onchange: async (ev) => {
      try { await api('POST', 'maintenance', { api: name, enabled: ev.target.checked }); banner(''); } catch (err) { banner(err.message); }
      refreshMaintenance();
    } }), ` ${name} in maintenance`)));
}

async function refreshFaults() {
  const d = await api('GET', 'faults');
  $('#faults tbody').replaceChildren(...(d.faults || []).map((f) => el('tr', {},
    el('td', {}, f.id), el('td', {}, f.api), el('td', {}, f.method || 'any'), el('td', { class: 'mono' }, f.path || ''),
    el('td', {}, f.operation || ''),
    el('td', {}, [f.status ? `status ${f.status}` : '', f.delayMs ? `delay ${f.delayMs} ms` : '', f.drop ? 'drop' : ''].filter(Boolean).join(', ')),
    el('td', {}, f.phase || 'before'), el('td', {}, f.remaining),
    el('td', {}, el('button', { type: 'button', class: 'danger', onclick: async () => {
      try { await api('DELETE', `faults/${f.id}`); banner(''); } catch (err) { banner(err.message); }
      refreshFaults();
    } }, 'delete')))));
}

$('#fault-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target, f = {};
  for (const name of ['api', 'method', 'path', 'operation', 'phase']) if (form[name].value.trim()) f[name] = form[name].value.trim();
  for (const name of ['status', 'delayMs', 'count']) if (form[name].value !== '') f[name] = Number(form[name].value);
  if (form.drop.checked) f.drop = true;
  try { await api('POST', 'faults', f); banner(''); } catch (err) { banner(err.message); }
  refreshFaults();
});

$('#reset').addEventListener('click', async () => {
  const which = $('#reset-api').value;
  if (!confirm(`Reset ${which || 'every API'} of session "${ui.session}"? State, journal and faults are lost.`)) return;
  try { await api('POST', 'reset' + (which ? `?api=${which}` : '')); banner(''); } catch (err) { banner(err.message); }
  await reloadJournal();
  refreshControls();
});

$('#journal-clear').addEventListener('click', async () => {
  if (!confirm(`Clear the journal of session "${ui.session}"?`)) return;
  try { await api('DELETE', 'requests'); } catch (err) { banner(err.message); }
  await reloadJournal();
});

function refreshControls() {
  return Promise.all([refreshClock(), refreshMaintenance(), refreshFaults()]).catch((err) => banner(err.message));
}

// ---- state -----------------------------------------------------------------------------

function tree(key, val, depth) {
  if (val !== null && typeof val === 'object') {
    const keys = Object.keys(val);
    const label = Array.isArray(val) ? `[${keys.length}]` : `{${keys.length}}`;
    return el('details', { open: depth < 2 }, el('summary', {}, el('span', { class: 'key' }, key), ' ', label),
      keys.map((k) => tree(k, val[k], depth + 1)));
  }
  const cls = typeof val === 'string' ? 'str' : typeof val === 'number' ? 'num' : 'lit';
  return el('div', { class: 'leaf' }, el('span', { class: 'key' }, key), ': ', el('span', { class: cls }, JSON.stringify(val)));
}

async function loadState() {
  const name = $('#state-api').value;
  try {
    const st = await api('GET', `state/${name}`);
    $('#state-tree').replaceChildren(tree(name, st, 0));
    const link = $('#state-download');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([JSON.stringify(st, null, 2)], { type: 'application/json' }));
    link.download = `${ui.session}-${name}-state.json`;
    banner('');
  } catch (err) { banner(err.message); }
}
$('#state-load').addEventListener('click', loadState);
$('#state-api').addEventListener('change', loadState);

// ---- sessions and conformance ----------------------------------------------------------

async function refreshSessions() {
  const d = await api('GET', 'sessions');
  const names = d.sessions.map((s) => s.name);
  if (!names.includes(ui.session)) names.unshift(ui.session);
  const sel = $('#session');
  sel.replaceChildren(...names.map((n) => el('option', { value: n, selected: n === ui.session }, n)));
  $('#sessions tbody').replaceChildren(...d.sessions.map((s) => el('tr', {},
    el('td', {}, s.name === ui.session ? el('strong', {}, s.name) : s.name),
    el('td', { title: s.lastActivity }, ago(s.lastActivity)),
    el('td', {}, s.requests),
    el('td', {}, bytesText(s.journalBytes)),
    el('td', {}, el('button', { type: 'button', onclick: () => switchSession(s.name) }, 'open')))));
}

async function refreshConformance() {
  const box = $('#conformance');
  try {
    const rep = await api('GET', 'conformance');
    const rows = (rep.rules || []).map((r) => el('tr', {}, el('td', {}, r.id), el('td', {}, r.api || ''),
      el('td', { class: r.verdict === 'passed' ? 's2' : 's5' }, r.verdict), el('td', {}, r.seconds ? r.seconds.toFixed(1) + ' s' : ''), el('td', {}, el('pre', {}, r.message || ''))));
    const summary = Object.entries(rep.summary || {}).map(([k, v]) => `${v} ${k}`).join(', ');
    box.replaceChildren(el('p', {}, `Report received ${ago(rep.received)}${summary ? ': ' + summary : ''}.`),
      rows.length ? el('table', { class: 'plain' }, el('thead', {}, el('tr', {}, ['rule', 'api', 'verdict', 'time', 'message'].map((h) => el('th', {}, h)))), el('tbody', {}, rows)) : '',
      rep.html ? el('iframe', { class: 'report', sandbox: '', srcdoc: rep.html, title: 'conformance report' }) : '');
  } catch (err) {
    box.replaceChildren(el('p', { class: 'muted' }, err.status === 404 ? `No conformance report for session "${ui.session}" yet: run upmock conformance --upmock-url against this server.` : err.message));
  }
}

// ---- navigation and the poll loop ------------------------------------------------------

function show(view) {
  ui.view = view;
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.view === view);
  for (const s of document.querySelectorAll('.view')) s.classList.toggle('hidden', s.id !== 'view-' + view);
  if (view === 'timeline') renderTimeline();
  if (view === 'controls') refreshControls();
  if (view === 'state') loadState();
  if (view === 'sessions') refreshSessions().catch((err) => banner(err.message));
  if (view === 'conformance') refreshConformance();
}
for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => show(b.dataset.view));

async function switchSession(name) {
  ui.session = name;
  history.replaceState(null, '', `${ui.base}/s/${encodeURIComponent(name)}/__upmock/ui/`);
  await refreshAll();
  show(ui.view);
}
$('#session').addEventListener('change', (ev) => switchSession(ev.target.value));

for (const id of ['#f-api', '#f-status']) $(id).addEventListener('change', () => { renderJournal(); if (ui.view === 'timeline') renderTimeline(); });
for (const id of ['#f-op', '#f-text']) $(id).addEventListener('input', () => { renderJournal(); if (ui.view === 'timeline') renderTimeline(); });
$('#journal-filter').addEventListener('submit', (ev) => ev.preventDefault());

async function loadAPIs() {
  const h = await api('GET', 'health');
  ui.apis = h.apis || [];
  const opts = () => ui.apis.map((a) => el('option', { value: a }, a));
  $('#f-api').replaceChildren(el('option', { value: '' }, 'every API'), ...opts());
  $('#reset-api').replaceChildren(el('option', { value: '' }, 'every API'), ...opts());
  $('#state-api').replaceChildren(...opts());
  $('#fault-form').api.replaceChildren(...opts());
}

async function refreshAll() {
  try {
    await loadAPIs();
    await Promise.all([reloadJournal(), refreshClock(), refreshSessions()]);
    banner('');
  } catch (err) { banner(err.message); }
}

async function tick() {
  if ($('#f-live').checked) {
    try {
      const fresh = await pollJournal();
      await refreshClock();
      if (fresh) { renderJournal(); if (ui.view === 'timeline') renderTimeline(); }
    } catch (err) { banner(err.message); }
  }
  setTimeout(tick, 1000);
}

refreshAll().then(() => { document.body.dataset.ready = 'true'; setTimeout(tick, 1000); });
