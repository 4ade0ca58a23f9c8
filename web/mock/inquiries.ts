// The 番号連携 part of the mock API (docs/web-ui.md): inquiry kinds read from
// config/codes/inquiry_kinds.tsv, a queue seeded with inquiries in every state, and new
// inquiries that move on by the clock the way the real worker moves them (送信待ち → 照会受付済 →
// 回答待ち → 回答あり/該当なし within ~12 s), so the screens' auto-refresh can be watched.
// Cancel, retry and the exchange log (情報提供等記録) with its CSV follow the contract.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Inquiry, InquiryAnswer } from '../src/types';

export interface MockKind {
  kind: string;
  name: string;
  counterpart: string;
  counterpart_name: string;
  request_flow: string;
  answer_flow: string;
  period: string;
  items: string[];
  jimu_code: string;
  item_code: string;
  institution_code: string;
  procedure_code: string;
  disclosure: string;
}

const COUNTERPART_NAMES: Record<string, string> = {
  city: '他市町村',
  iryo: '医療保険者・後期高齢者医療広域連合',
  pref: '都道府県等',
  nenkin: '年金保険者',
};
// Income-based kinds ask about the previous calendar year; the rest about today.
const PREVIOUS_YEAR = new Set(['city_local_tax', 'city_household', 'nenkin_old_age_welfare']);
const JIMU_NAME = '介護保険法による保険給付の支給又は保険料の徴収に関する事務';

function loadKinds(): MockKind[] {
  const tsv = readFileSync(fileURLToPath(new URL('../../config/codes/inquiry_kinds.tsv', import.meta.url)), 'utf8');
  const rows = tsv.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  const [head, ...body] = rows;
  return body.map((cols) => {
    const r = Object.fromEntries(head.map((k, i) => [k, cols[i] ?? '']));
    return {
      kind: r.kind,
      name: r.description,
      counterpart: r.counterpart,
      counterpart_name: COUNTERPART_NAMES[r.counterpart] ?? r.counterpart,
      request_flow: r.request_flows.split(',')[0],
      answer_flow: r.answer_flows.split(',')[0],
      period: PREVIOUS_YEAR.has(r.kind) ? 'previous_year' : 'as_of_today',
      items: r.items.split(','),
      jimu_code: r.jimu_code,
      item_code: r.item_code,
      institution_code: r.institution_code,
      procedure_code: r.procedure_codes.split(',')[0],
      disclosure: r.disclosure,
    };
  });
}

export const KINDS = loadKinds();

const FINAL = new Set(['provided', 'not_found', 'error', 'timed_out', 'cancelled']);

// The server's Inquiry (web/src/types.ts) plus what the mock needs to move it along.
interface MockInquiry extends Inquiry {
  // mock only: when a live inquiry started (ms) and how it will end; null = seeded, static
  live: { t0: number; end: 'provided' | 'not_found' | 'error' } | null;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function sampleAnswer(k: MockKind, personId: string): InquiryAnswer {
  const n = Number(personId.slice(-3));
  const values: Record<string, unknown> = {
    total_income: 1_200_000 + n * 1000,
    public_pension_income: 980_000,
    resident_tax_taxed: n % 2 === 0,
    assistance_kind: '生活扶助',
    started_on: '2019-04-01',
    insurer_no: '06123456',
    insured_symbol: '12-345',
    acquired_on: '2015-04-01',
    in_arrears: false,
    arrears_months: 0,
    receives: false,
    household_id: `H${500000 + n}`,
    members: 2,
    name: '（照会先の氏名）',
    address: '北海道旭川市本町1-1',
    relation: '世帯主',
    moved_in_on: '2024-04-01',
    care_level: '要介護2',
    certified_from: '2025-10-01',
    certified_to: '2027-09-30',
    certified_on: '2025-09-20',
    applies: false,
  };
  const items: Record<string, unknown> = {};
  const null_reasons: Record<string, string> = {};
  for (const key of k.items) {
    if (key in values) items[key] = values[key];
    else null_reasons[key] = '該当なし';
  }
  return { items, null_reasons };
}

let nextId = 1;
let nextProcessing = 1;
const store: MockInquiry[] = [];

function newInquiry(personId: string, k: MockKind, from: string, to: string, purpose: string, user: string, at: number): MockInquiry {
  const id = nextId++;
  return {
    inquiry_id: id,
    request_key: `INQ-${String(id).padStart(10, '0')}`,
    kind: k.kind,
    kind_name: k.name,
    person_id: personId,
    counterpart: k.counterpart,
    counterpart_name: k.counterpart_name,
    institution_code: k.institution_code,
    jimu_code: k.jimu_code,
    procedure_code: k.procedure_code,
    item_code: k.item_code,
    period_from: from,
    period_to: to,
    processing_no: null,
    status: 'queued',
    attempts: 0,
    next_poll_at: null,
    deadline_at: iso(at + 14 * 86_400_000),
    error_code: null,
    error_message: null,
    answer: null,
    purpose,
    created_by: user,
    created_at: iso(at),
    updated_at: iso(at),
    answered_at: null,
    bulk_id: null,
    live: null,
  };
}

function processingNo(at: number): string {
  const d = new Date(at);
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `CH${ymd}${String(nextProcessing++).padStart(8, '0')}`;
}

// Seeded queue: every state at least once, for people of the mock's city.
function seed(personIds: string[]): void {
  const base = Date.parse('2026-11-20T00:00:00Z');
  bulkSeed(personIds, base);
  const plan: [string, string, number][] = [
    ['city_local_tax', 'provided', 0], ['pref_public_assistance', 'provided', 1], ['iryo_insurance', 'provided', 2],
    ['city_household', 'not_found', 3], ['nenkin_old_age_welfare', 'not_found', 4],
    ['city_local_tax', 'pending', 5], ['iryo_arrears', 'pending', 6], ['city_resident', 'pending', 0],
    ['city_certificate', 'manual_pending', 7],
    ['city_local_tax', 'queued', 8], ['city_former_address_rule', 'submitted', 9],
    ['iryo_insurance', 'error', 10], ['city_local_tax', 'error', 11],
    ['nenkin_old_age_welfare', 'timed_out', 12], ['pref_public_assistance', 'cancelled', 13],
  ];
  plan.forEach(([kind, status, who], i) => {
    const k = KINDS.find((x) => x.kind === kind)!;
    const at = base + i * 3_600_000;
    const personId = personIds[who];
    const period = k.period === 'previous_year' ? ['2025-01-01', '2025-12-31'] : ['2026-11-20', '2026-11-20'];
    const q = newInquiry(personId, k, period[0], period[1], '保険料段階の判定 (転入者)', i % 2 ? 'clerk' : 'demo', at);
    q.status = status;
    q.updated_at = iso(at + 60_000);
    if (status !== 'queued') {
      q.processing_no = status === 'error' && i === 11 ? null : processingNo(at);
      q.attempts = status === 'pending' ? 3 : status === 'timed_out' ? 12 : 1;
    }
    if (status === 'pending' || status === 'submitted' || status === 'manual_pending')
      q.next_poll_at = iso(Date.now() + 60_000 * (i + 1));
    if (status === 'provided') {
      q.answer = sampleAnswer(k, personId);
      q.answered_at = iso(at + 120_000);
    }
    if (status === 'not_found') q.answered_at = iso(at + 120_000);
    if (status === 'error') {
      if (i === 11) [q.error_code, q.error_message] = ['E_LINK_CODE', '符号未取得'];
      else [q.error_code, q.error_message, q.answered_at] = ['E_TARGET', '照会先エラー', iso(at + 300_000)];
    }
    if (status === 'timed_out') [q.error_code, q.error_message] = ['TIMEOUT', '期限までに回答がありませんでした'];
    if (status === 'cancelled') q.purpose += ' / 取消理由: 申請取下げ';
    store.push(q);
  });
}

// A few more answered ones so the queue has some length.
function bulkSeed(personIds: string[], base: number): void {
  const k = KINDS.find((x) => x.kind === 'city_local_tax')!;
  for (let i = 0; i < 12; i++) {
    const at = base - (i + 1) * 86_400_000;
    const q = newInquiry(personIds[20 + i], k, '2025-01-01', '2025-12-31', '年次の所得照会 (一括)', 'batch', at);
    q.bulk_id = 7;
    q.processing_no = processingNo(at);
    q.attempts = 2;
    q.status = i % 5 === 4 ? 'not_found' : 'provided';
    q.answer = q.status === 'provided' ? sampleAnswer(k, q.person_id) : null;
    q.answered_at = iso(at + 600_000);
    q.updated_at = q.answered_at;
    store.push(q);
  }
}

// A live inquiry's state at `now`: the worker submits at +2 s, polls from +4 s, answers at +12 s.
function advance(q: MockInquiry, now: number): void {
  if (!q.live || FINAL.has(q.status)) return;
  const t = now - q.live.t0;
  const k = KINDS.find((x) => x.kind === q.kind)!;
  if (t >= 2_000 && q.status === 'queued') {
    q.attempts++;
    if (q.live.end === 'error') {
      [q.status, q.error_code, q.error_message] = ['error', 'E_LINK_CODE', '符号未取得'];
      q.updated_at = iso(q.live.t0 + 2_000);
      return;
    }
    q.processing_no = processingNo(now);
    q.status = 'submitted';
    q.next_poll_at = iso(q.live.t0 + 4_000);
    q.updated_at = iso(q.live.t0 + 2_000);
  }
  if (t >= 4_000 && q.status === 'submitted') {
    q.status = 'pending';
    q.attempts++;
    q.next_poll_at = iso(q.live.t0 + 12_000);
    q.updated_at = iso(q.live.t0 + 4_000);
  }
  if (t >= 12_000 && q.status === 'pending') {
    q.attempts++;
    q.status = q.live.end;
    q.answer = q.live.end === 'provided' ? sampleAnswer(k, q.person_id) : null;
    q.answered_at = q.updated_at = iso(q.live.t0 + 12_000);
    q.next_poll_at = null;
  }
}

export interface InquiryRecord {
  at: string;
  kind: string;
  counterpart: string;
  counterpart_name: string;
  institution_code: string;
  jimu_code: string;
  jimu_name: string;
  item_names: string[];
  summary: string;
  disclosure: string;
  processing_no: string | null;
}

const SUMMARY: Record<string, string> = {
  provided: '照会 (回答あり)', not_found: '照会 (該当なし)', cancelled: '照会 (取消)', timed_out: '照会 (期限切れ)',
  error: '照会 (エラー)', pending: '照会 (回答待ち)', submitted: '照会 (受付済)', manual_pending: '照会 (手動回答待ち)',
};

/** The 情報提供等記録 of one person: each inquiry that reached the 中間サーバー, and provisions. */
function exchangeRecords(personId: string): InquiryRecord[] {
  const now = Date.now();
  const out: InquiryRecord[] = [];
  for (const q of store) {
    if (q.person_id !== personId) continue;
    advance(q, now);
    if (!q.processing_no) continue;
    const k = KINDS.find((x) => x.kind === q.kind)!;
    out.push({
      at: q.answered_at ?? q.updated_at, kind: 'inquiry', counterpart: q.counterpart, counterpart_name: q.counterpart_name,
      institution_code: q.institution_code, jimu_code: q.jimu_code, jimu_name: JIMU_NAME, item_names: k.items,
      summary: `${k.name} の${SUMMARY[q.status] ?? q.status}`, disclosure: k.disclosure, processing_no: q.processing_no,
    });
  }
  // Other bodies asked us about this person (provisions from the city's 副本).
  if (Number(personId.slice(-1)) % 2 === 1) {
    out.push({
      at: '2026-10-02T01:30:00Z', kind: 'provision', counterpart: 'city', counterpart_name: '他市町村',
      institution_code: '1000000000001', jimu_code: 'JM0000000093', jimu_name: JIMU_NAME,
      item_names: ['insured_no', 'care_level', 'certified_from', 'certified_to'], summary: '受給資格証明書情報 を提供',
      disclosure: 'disclosed', processing_no: 'CH2026100200000042',
    });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : -1));
}

function csv(rows: InquiryRecord[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const head = ['日時', '区分', '相手方', '機関', '事務', '項目', '内容', '開示', '処理通番'];
  const lines = rows.map((r) =>
    [r.at, r.kind === 'inquiry' ? '照会' : '提供', r.counterpart_name, r.institution_code, r.jimu_name, r.item_names.join(' '),
      r.summary, r.disclosure === 'disclosed' ? '開示' : '不開示', r.processing_no ?? ''].map(cell).join(','),
  );
  return `\ufeff${[head.join(','), ...lines].join('\r\n')}\r\n`;
}

const ALLOWED = new Set(['eligibility_staff', 'premium_staff', 'certification_staff', 'benefit_staff', 'supervisor']);

export interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

const err = (status: number, kind: string, message: string, field: string | null = null): Reply => ({
  status, body: { error: { kind, message, field } },
});

const view = (q: MockInquiry) => {
  const { live: _live, ...rest } = q;
  return rest;
};

let seeded = false;

/** Route one /api/v1 call; undefined when the path is not a 番号連携 route. */
export function handleInquiries(
  method: string, path: string, params: URLSearchParams, body: () => Promise<Record<string, unknown>>,
  user: { user_id: string; roles: string[] }, personIds: string[],
): Promise<Reply> | undefined {
  const routes: [string, RegExp][] = [
    ['GET', /^\/inquiry-kinds$/], ['POST', /^\/inquiries$/], ['GET', /^\/inquiries$/], ['GET', /^\/inquiries\/([^/]+)$/],
    ['POST', /^\/inquiries\/([^/]+)\/(cancel|retry)$/], ['GET', /^\/persons\/([^/]+)\/(inquiries|exchange-records|exchange-records\.csv)$/],
  ];
  const hit = routes.find(([m, re]) => m === method && re.test(path));
  if (!hit) return undefined;
  return (async (): Promise<Reply> => {
    if (!seeded) {
      seed(personIds);
      seeded = true;
    }
    if (!user.roles.some((r) => ALLOWED.has(r))) return err(403, 'forbidden', '番号連携を扱う権限がありません');
    const now = Date.now();
    for (const q of store) advance(q, now);
    const m = hit[1].exec(path)!;
    if (path === '/inquiry-kinds') {
      return { status: 200, body: KINDS.map(({ kind, name, counterpart, counterpart_name, request_flow, answer_flow, period, items }) => ({ kind, name, counterpart, counterpart_name, request_flow, answer_flow, period, items })) };
    }
    if (method === 'POST' && path === '/inquiries') {
      const b = await body();
      const k = KINDS.find((x) => x.kind === b.kind);
      const personId = String(b.person_id ?? '');
      if (!personIds.includes(personId)) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      if (!k) return err(400, 'invalid_input', 'unknown inquiry kind', 'kind');
      const from = String(b.period_from ?? ''), to = String(b.period_to ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) return err(400, 'invalid_input', '対象期間の開始が正しくありません', 'period_from');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) return err(400, 'invalid_input', '対象期間の終了が正しくありません', 'period_to');
      const q = newInquiry(personId, k, from, to, String(b.purpose ?? ''), user.user_id, now);
      // Outcome by the person's last digit: 0 → 符号未取得, 5 → 該当なし, else 回答あり.
      const last = personId.slice(-1);
      q.live = { t0: now, end: last === '0' ? 'error' : last === '5' ? 'not_found' : 'provided' };
      store.push(q);
      return { status: 201, body: view(q) };
    }
    if (method === 'GET' && path === '/inquiries') {
      const status = params.get('status') ?? '', kind = params.get('kind') ?? '', person = params.get('person_id') ?? '';
      const limit = Math.min(Number(params.get('limit')) || 100, 500);
      const rows = store.filter((q) => (!kind || q.kind === kind) && (!person || q.person_id === person));
      const counts: Record<string, number> = Object.fromEntries(
        ['queued', 'submitted', 'pending', 'manual_pending', 'provided', 'not_found', 'error', 'timed_out', 'cancelled'].map((s) => [s, 0]),
      );
      for (const q of rows) counts[q.status] = (counts[q.status] ?? 0) + 1;
      const items = rows.filter((q) => !status || q.status === status).sort((a, b) => b.inquiry_id - a.inquiry_id).slice(0, limit);
      return { status: 200, body: { items: items.map(view), counts } };
    }
    if (hit[1].source.startsWith('^\\/persons')) {
      const personId = decodeURIComponent(m[1]);
      if (!personIds.includes(personId)) return err(404, 'not_found', '該当する宛名がありません');
      if (m[2] === 'inquiries') {
        return { status: 200, body: { items: store.filter((q) => q.person_id === personId).sort((a, b) => b.inquiry_id - a.inquiry_id).map(view) } };
      }
      const records = exchangeRecords(personId);
      if (m[2] === 'exchange-records') return { status: 200, body: { items: records } };
      return {
        status: 200, text: csv(records),
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="exchange-records-${personId}.csv"` },
      };
    }
    const q = store.find((x) => String(x.inquiry_id) === decodeURIComponent(m[1]));
    if (!q) return err(404, 'not_found', '該当する照会がありません');
    if (method === 'GET') return { status: 200, body: view(q) };
    if (m[2] === 'cancel') {
      if (FINAL.has(q.status)) return err(409, 'conflict', 'この照会はすでに完了しているため取り消せません');
      const reason = String((await body()).reason ?? '').trim();
      if (!reason) return err(400, 'invalid_input', '取消の理由を入力してください', 'reason');
      q.status = 'cancelled';
      q.next_poll_at = null;
      q.updated_at = iso(now);
      q.live = null;
      return { status: 200, body: view(q) };
    }
    if (q.status !== 'error' && q.status !== 'timed_out') return err(409, 'conflict', '再照会できるのはエラーまたは期限切れの照会だけです');
    Object.assign(q, { status: 'queued', error_code: null, error_message: null, answered_at: null, next_poll_at: null, updated_at: iso(now) });
    q.live = { t0: now, end: 'provided' };
    return { status: 200, body: view(q) };
  })();
}

/**
 * For the counter cases (web/mock/cases.ts): a live inquiry of `kind` for a person, moving on by
 * the clock like any other (and listed in the 照会キュー); undefined for an unknown kind.
 */
export function startCaseInquiry(personId: string, kind: string, purpose: string, user: string, personIds: string[]): Inquiry | undefined {
  if (!seeded) {
    seed(personIds);
    seeded = true;
  }
  const k = KINDS.find((x) => x.kind === kind);
  if (!k) return undefined;
  const now = Date.now();
  const day = iso(now).slice(0, 10);
  const q = newInquiry(personId, k, day, day, purpose, user, now);
  const last = personId.slice(-1);
  q.live = { t0: now, end: last === '0' ? 'error' : last === '5' ? 'not_found' : 'provided' };
  store.push(q);
  return view(q);
}

/** An inquiry as it is now (moved on by the clock), or undefined. */
export function inquiryNow(inquiryId: number): Inquiry | undefined {
  const q = store.find((x) => x.inquiry_id === inquiryId);
  if (!q) return undefined;
  advance(q, Date.now());
  return view(q);
}
