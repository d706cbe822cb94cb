#!/usr/bin/env python3
"""Generate fixtures/jaia/catalogue.json and fixtures/jaia/codes.json from the JAIA digest.

Rerun from the repository root:
    python3 specs/jaia/tools/gen_catalogue.py ../shared/digests/jaia.md
The digest's tables were themselves generated from the manual's table rows, so cell text is
exact; this script only restructures them. Hand decisions (update overrides, typo aliases,
code IDs) are in OVERRIDES below and in specs/jaia/NOTES.md.
"""
import json, re, sys, collections

src = open(sys.argv[1] if len(sys.argv) > 1 else '../shared/digests/jaia.md', encoding='utf-8').read().split('\n')

MASTERS = [  # prefix, name, label, singular path, plural path, key field
    ('COMPANY', 'company', '事業者マスタ', '/company', '/companies', 'jaiaCompanyCode'),
    ('USER', 'user', 'ユーザーマスタ', '/user', '/users', 'userId'),
    ('STORE', 'store', '店舗マスタ', '/store', '/stores', 'jaiaCode'),
    ('ITEM', 'item', 'AM 商品マスタ', '/product/item', '/product/items', 'jaiaCode'),
    ('TITLE', 'title', 'タイトルマスタ', '/product/title', '/product/titles', 'jaiaCode'),
    ('PART', 'part', '部品マスタ', '/product/part', '/product/parts', 'jaiaCode'),
    ('BILLING', 'billing', '課金情報マスタ', '/product/billing', '/product/billings', 'jaiaCode'),
    ('FREEBIE', 'freebie', '景品・サプライマスタ', '/freebie', '/freebies', 'jaiaCode'),
]

def table_after(heading_re, nth=0):
    """Rows (list of cells) of the nth markdown table after the first heading matching heading_re."""
    for i, line in enumerate(src):
        if line.startswith('#') and re.search(heading_re, line):
            break
    else:
        raise SystemExit('heading not found: ' + heading_re)
    tables, cur = [], None
    j = i + 1
    while j < len(src) and not (src[j].startswith('#') and j > i + 1):
        l = src[j]
        if l.startswith('|'):
            cells = [c.strip() for c in l.strip().strip('|').split('|')]
            if cur is None:
                cur = {'head': cells, 'rows': []}
            elif set(''.join(cells)) <= set('-: '):
                pass
            else:
                cur['rows'].append(cells)
        elif cur is not None:
            tables.append(cur); cur = None
        j += 1
    if cur is not None:
        tables.append(cur)
    return tables[nth]

def bt(s):
    return s.strip().strip('`').strip()

def num(s):
    s = s.strip()
    return int(s) if s.isdigit() else None

def norm(name):
    return re.sub(r'[^a-z0-9]', '', name.lower())

# Typos in the manual's tables: canonical spelling.
FIELD_ALIASES = {'titileName': 'titleName'}
COLUMN_ALIASES = {'item_name_abbreviated': 'item_name_abbreviation', 'Inclusive_jaia_code': 'inclusive_jaia_code'}

CODE_RE = re.compile(r'(?:^|\s)([0-9A-Z]{2,4})\s*[:：]\s*')

def parse_codes(cell):
    cell = cell.replace('<br>', ' ')
    ms = list(CODE_RE.finditer(cell))
    out = []
    for k, m in enumerate(ms):
        end = ms[k + 1].start() if k + 1 < len(ms) else len(cell)
        out.append([m.group(1), cell[m.end():end].strip()])
    return out

FORMATS = {'yyyy/MM/dd', 'yyyy/MM', 'yyyy/MM/dd HH:mm:ss.SSS'}

catalogue = {'masters': [], 'apis': []}
codes = collections.OrderedDict()

def add_code(code_id, name, values):
    if code_id in codes:
        return
    codes[code_id] = {'codeName': name, 'values': values}

for prefix, name, label, single, plural, key in MASTERS:
    create = table_after(r'#### %s_CREATE dataset fields' % prefix)
    fields = []
    for r in create['rows']:
        key_ = FIELD_ALIASES.get(bt(r[1]), bt(r[1]))
        f = {'key': key_, 'label': r[2], 'required': r[3] == '○', 'attr': r[4],
             'min': num(r[5]), 'max': num(r[6]), 'desc': r[7]}
        dm = re.fullmatch(r'(\d+),(\d+)', r[6].strip())
        if dm:  # "5,3": integer digits, decimals
            f['decimal'] = [int(dm.group(1)), int(dm.group(2))]
        if f['attr'] == '選択':  # ITEM_CREATE originCode; the update table says 半角数字
            f['attr'] = '半角数字'
        fields.append(f)
    sel = table_after(r'#### %s_SELECT searchConditions' % prefix)
    meta = table_after(r'#### %s_SELECT response fields and metadataList' % prefix, 1)
    metamap = {}
    for r in meta['rows']:
        col = COLUMN_ALIASES.get(bt(r[1]), bt(r[1]))
        metamap[col] = {'label': r[2], 'attr': r[3], 'min': num(r[4]), 'max': num(r[5]), 'fmt': r[6]}
    columns = []
    for r in sel['rows']:
        col = COLUMN_ALIASES.get(bt(r[1]), bt(r[1]))
        m = metamap.get(col, {})
        c = {'name': col, 'label': r[2], 'search': {'○': 'yes', '◎': 'fuzzy'}.get(r[3], 'no'),
             'operator': r[5] == '○', 'select': r[6] == '○', 'sort': r[7] == '○'}
        fmt = m.get('fmt', '')
        if fmt in FORMATS:
            c['format'] = fmt
        elif m.get('attr') in ('日付', '日時') or col.endswith('_date'):
            c['format'] = 'yyyy/MM/dd HH:mm:ss.SSS' if m.get('attr') == '日時' else 'yyyy/MM/dd'
        vals = parse_codes(fmt) if fmt and fmt not in FORMATS else []
        if vals:
            c['codeId'] = col.upper()
            add_code(c['codeId'], m.get('label', r[2]), vals)
        columns.append(c)
    # metadata-only columns (not in the search table) are still returned by nothing: report them
    extra = [c for c in metamap if c not in {x['name'] for x in columns}]
    if extra:
        print('note: %s metadata-only columns: %s' % (prefix, extra), file=sys.stderr)
    export = None
    if prefix != 'USER':
        ex = table_after(r'#### %s_EXPORT_DELETED request parameters' % prefix, 1)
        export = [{'name': COLUMN_ALIASES.get(bt(r[1]), bt(r[1])), 'search': {'○': 'yes', '◎': 'fuzzy'}.get(r[3], 'no'),
                   'operator': r[5] == '○'} for r in ex['rows']]
    colbynorm = {norm(c['name']): c for c in columns}
    for f in fields:
        c = colbynorm.get(norm(f['key']))
        if c is None:
            print('note: %s field %s has no column' % (prefix, f['key']), file=sys.stderr)
            continue
        f['column'] = c['name']
        if 'codeId' in c:
            f['codeId'] = c['codeId']
        if '複数指定' in f['desc'] or 'カンマ区切り' in f['desc'] or re.search(r'最大\s*\d+\s*件', f['desc']):
            mm = re.search(r'最大\s*(\d+)\s*件', f['desc'])
            f['multi'] = int(mm.group(1)) if mm else 0
    # §1-12: the publish fields are not search columns; they reference codes / the company master.
    for f in fields:
        if f['key'] == 'publishCompanyCategory':
            f['codeId'], f['multi'] = 'COMPANY_CATEGORY', 6
        if f['key'] == 'publishCompanyCode':
            f['ref'], f['multi'] = 'company', 100
    update = [dict(f) for f in fields]
    if prefix == 'COMPANY':  # COMPANY_UPDATE table: no digit classification; category is a list (max 17)
        update = [f for f in update if f['key'] != 'companyCodeDigitClassification']
        for f in update:
            if f['key'] == 'companyCategory':
                f['min'], f['max'], f['multi'] = None, 17, 6
    if prefix == 'USER':  # USER_UPDATE: the key userId is only in the sample
        update.insert(0, {'key': 'userId', 'label': 'ユーザーID', 'required': True, 'attr': '半角英数',
                          'min': 10, 'max': 10, 'desc': '更新対象のユーザーID', 'column': 'user_id'})
    m = {'name': name, 'prefix': prefix, 'label': label, 'single': single, 'plural': plural, 'key': key,
         'fields': fields, 'updateFields': update, 'columns': columns}
    if export is not None:
        m['exportColumns'] = export
    catalogue['masters'].append(m)

# The API list (§2).
apis = table_after(r'^## 2\. API list')
for r in apis['rows']:
    api_id = bt(r[1]); path = bt(r[3].split(' ')[0]); method = r[4]
    master, action = None, None
    for prefix, name, *_ in MASTERS:
        if api_id.startswith(prefix + '_'):
            master, action = name, api_id[len(prefix) + 1:].lower()
    if api_id.startswith('AUTH_'):
        master, action = None, api_id[5:].lower()
    if api_id == 'CODES_SELECT':
        master, action = None, 'codes'
    catalogue['apis'].append({'apiId': api_id, 'name': r[2], 'path': path, 'method': method,
                              'master': master, 'action': action})

# Manual typos in code values (NOTES.md, "Code master").
fix = {('ORIGIN_CODE', '250'): 'フランス', ('FOR_SALE_COUNTRY_CODE', '250'): 'フランス'}
for cid, v in codes.items():
    seen = set()
    for pair in v['values']:
        if (cid, pair[0]) in fix:
            pair[1] = fix[(cid, pair[0])]
        pair[1] = pair[1].replace('サブライ', 'サプライ')
        if pair[0] in seen:  # BANKNOTE_TYPE 03 twice (10000 円), GROSS_WEIGHT_UNIT_CODE 006 twice (ポンド)
            pair[0] = {'BANKNOTE_TYPE': '04', 'GROSS_WEIGHT_UNIT_CODE': '004'}[cid]
        seen.add(pair[0])
codes['JAN_FLAG'] = {'codeName': 'JAN フラグ', 'values': [['01', 'JAN コードあり'], ['02', 'JAN コードなし']]}
json.dump(catalogue, open('fixtures/jaia/catalogue.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
json.dump(codes, open('fixtures/jaia/codes.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
print('masters', len(catalogue['masters']), 'apis', len(catalogue['apis']), 'codes', len(codes), file=sys.stderr)
