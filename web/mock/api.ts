// An in-memory stand-in for the /api/v1 contract of `kaigo serve` (docs/web-ui.md), for
// `npm run dev:mock` only: lets the screens be built and looked at without the C++ server.
// Users: `demo` / `demo-pass` (may see 個人番号) and `clerk` / `clerk-pass` (may not);
// `audit` / `audit-pass` is an auditor, refused (403) by the 番号連携 routes; `fuka` / `fuka-pass`
// is 賦課担当 (premium_staff); `nintei` / `nintei-pass` is 認定担当 (certification_staff);
// `kyufu` / `kyufu-pass` is 給付担当 (benefit_staff).
// Five wrong passwords in a row for one user id → 429 until the mock restarts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'vite';
import flowRows from './flows.json';
import { benefitHandler } from './benefit';
import { casesHandler } from './cases';
import { certificationHandler } from './certification';
import { eligibilityHandler } from './eligibility';
import { handleInquiries } from './inquiries';
import { premiumHandler } from './premium';
import { MockRegister } from './register';

interface User {
  user_id: string;
  password: string;
  display_name: string;
  roles: string[];
}

const USERS: User[] = [
  { user_id: 'demo', password: 'demo-pass', display_name: '介護 太郎', roles: ['eligibility_staff', 'supervisor'] },
  { user_id: 'clerk', password: 'clerk-pass', display_name: '窓口 花子', roles: ['benefit_staff'] },
  { user_id: 'audit', password: 'audit-pass', display_name: '監査 次郎', roles: ['auditor'] },
  { user_id: 'fuka', password: 'fuka-pass', display_name: '賦課 三郎', roles: ['premium_staff'] },
  { user_id: 'nintei', password: 'nintei-pass', display_name: '認定 四郎', roles: ['certification_staff'] },
  { user_id: 'kyufu', password: 'kyufu-pass', display_name: '給付 五郎', roles: ['benefit_staff'] },
];

const FAMILY = [
  ['山田', 'ヤマダ'], ['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'],
  ['渡辺', 'ワタナベ'], ['伊藤', 'イトウ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['髙木', 'タカギ'],
];
const GIVEN_M = [['太郎', 'タロウ'], ['一郎', 'イチロウ'], ['健', 'ケン'], ['茂', 'シゲル']];
const GIVEN_F = [['花子', 'ハナコ'], ['和子', 'カズコ'], ['幸子', 'サチコ'], ['美咲', 'ミサキ']];
const WARDS = [['101', '中央区'], ['102', '北区'], ['103', '東区'], ['104', '南区']];

interface MockPerson {
  person_id: string; name_kanji: string; name_kana: string; birth_date: string; sex: string;
  postal_code: string; address: string; ward_code: string; ward_name: string; household_id: string;
  relation: string; registry_status: string; insured_no: string | null; my_number: string | null;
}

// 120 households of two: a head born 1935–1974 and a spouse; deterministic so screenshots repeat.
function buildPeople(): MockPerson[] {
  const out: MockPerson[] = [];
  for (let i = 0; i < 120; i++) {
    const [fk, fn] = FAMILY[i % FAMILY.length];
    const [wc, wn] = WARDS[i % WARDS.length];
    const household_id = `H${String(500001 + i)}`;
    const address = `${wn}本町${(i % 9) + 1}丁目${(i * 7) % 30 + 1}番${(i % 5) + 1}号`;
    for (let j = 0; j < 2; j++) {
      const n = i * 2 + j;
      const male = j === 0;
      const [gk, gn] = (male ? GIVEN_M : GIVEN_F)[i % 4];
      const year = 1935 + ((i * 3) % 40) + j;
      const birth_date = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const old = year <= 1961;
      out.push({
        person_id: String(1000000001 + n),
        name_kanji: `${fk}　${gk}`,
        name_kana: `${fn} ${gn}`,
        birth_date,
        sex: male ? '1' : '2',
        postal_code: `0600${String(i % 100).padStart(3, '0')}`,
        address,
        ward_code: wc,
        ward_name: wn,
        household_id,
        relation: male ? '世帯主' : '妻',
        registry_status: n === 7 ? 'deceased' : n === 12 ? 'moved_out' : 'resident',
        insured_no: old ? String(2000000001 + n) : null,
        my_number: n % 10 === 9 ? null : String(123456780000 + n * 13).slice(0, 12),
      });
    }
  }
  return out;
}

const PEOPLE = buildPeople();
const PERSON_IDS = PEOPLE.map((p) => p.person_id);

// Somebody the registry simulator moves in (web/mock/cases.ts): aged 66–80, a household of one.
function movedIn(n: number, on: string): MockPerson {
  const i = PEOPLE.length;
  const [fk, fn] = FAMILY[n % FAMILY.length];
  const [gk, gn] = (n % 2 ? GIVEN_M : GIVEN_F)[n % 4];
  const [wc, wn] = WARDS[n % WARDS.length];
  const year = Number(on.slice(0, 4)) - 66 - (n % 15);
  const p: MockPerson = {
    person_id: String(1000000001 + i), name_kanji: `${fk}　${gk}`, name_kana: `${fn} ${gn}`,
    birth_date: `${year}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`, sex: n % 2 ? '1' : '2',
    postal_code: '0600100', address: `${wn}新町${(n % 9) + 1}丁目${(n % 20) + 1}番`, ward_code: wc, ward_name: wn,
    household_id: `H${600000 + i}`, relation: '世帯主', registry_status: 'resident', insured_no: null, my_number: null,
  };
  PEOPLE.push(p);
  PERSON_IDS.push(p.person_id);
  return p;
}

const REGISTER = new MockRegister(PEOPLE);
const eligibility = eligibilityHandler(REGISTER, PEOPLE);
const cases = casesHandler(REGISTER, PEOPLE, movedIn);
const premium = premiumHandler(PEOPLE);
const certification = certificationHandler(PEOPLE);
const benefit = benefitHandler(PEOPLE);
const sessions = new Map<string, { user: User; csrf: string }>();
const failures = new Map<string, number>();

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined) return void res.end();
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, kind: string, message: string, field: string | null = null): void {
  send(res, status, { error: { kind, message, field } });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function sessionOf(req: IncomingMessage) {
  const m = /(?:^|;\s*)kaigo_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? sessions.get(m[1]) : undefined;
}

function meBody(s: { user: User; csrf: string }) {
  const { user_id, display_name, roles } = s.user;
  return { user_id, display_name, roles, csrf_token: s.csrf };
}

function ageOn(birth: string, today: Date): number {
  const [y, m, d] = birth.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d)) age--;
  return age;
}

function summary(p: MockPerson) {
  const { person_id, name_kanji, name_kana, birth_date, sex, address, ward_code, ward_name, insured_no, registry_status } = p;
  return { person_id, name_kanji, name_kana, birth_date, sex, address, ward_code, ward_name, insured_no, registry_status };
}

function detail(p: MockPerson, user: User, show: boolean) {
  const may = user.roles.includes('eligibility_staff');
  const { my_number, ...person } = p;
  return {
    person: { ...person, age: ageOn(p.birth_date, new Date()) },
    my_number: my_number === null ? null : show && may ? my_number : `********${my_number.slice(-4)}`,
    my_number_shown: my_number !== null && show && may,
    can_show_my_number: may && my_number !== null,
    can_issue_insurance_card: may,
    household: PEOPLE.filter((q) => q.household_id === p.household_id).map((q) => ({
      person_id: q.person_id, name_kanji: q.name_kanji, name_kana: q.name_kana,
      relation: q.relation, birth_date: q.birth_date, sex: q.sex,
    })),
    history: [
      { valid_from: '2021-04-01', valid_to: null, name_kanji: p.name_kanji, address: p.address, household_id: p.household_id,
        relation: p.relation, registry_status: p.registry_status, reason: 'relocation', recorded_at: '2021-04-02T09:12:00Z', recorded_by: 'demo' },
      { valid_from: p.birth_date, valid_to: '2021-03-31', name_kanji: p.name_kanji, address: `${p.ward_name}旧町1-2-3`, household_id: p.household_id,
        relation: p.relation, registry_status: 'resident', reason: 'move_in', recorded_at: '2020-01-06T10:00:00Z', recorded_by: 'exchange:4711' },
    ],
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock');
  const path = url.pathname.replace(/^\/api\/v1/, '');
  const method = req.method ?? 'GET';

  if (method === 'POST' && path === '/login') {
    const body = await readJson(req);
    const id = String(body.user_id ?? '');
    if ((failures.get(id) ?? 0) >= 5) return fail(res, 429, 'throttled', 'too many attempts');
    const user = USERS.find((u) => u.user_id === id && u.password === body.password);
    if (!user) {
      failures.set(id, (failures.get(id) ?? 0) + 1);
      return fail(res, 401, 'unauthenticated', 'bad credentials');
    }
    failures.delete(id);
    const token = randomBytes(16).toString('hex');
    const s = { user, csrf: randomBytes(16).toString('hex') };
    sessions.set(token, s);
    return send(res, 200, meBody(s), { 'Set-Cookie': `kaigo_session=${token}; HttpOnly; SameSite=Strict; Path=/` });
  }

  const s = sessionOf(req);
  if (!s) return fail(res, 401, 'unauthenticated', 'ログインが必要です');
  if (method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) return fail(res, 403, 'forbidden', 'CSRFトークンが正しくありません');

  cases.pump(); // the registry simulator's movements become people before any read
  if (method === 'GET' && path === '/me') return send(res, 200, meBody(s));
  if (method === 'POST' && path === '/logout') {
    for (const [k, v] of sessions) if (v === s) sessions.delete(k);
    return send(res, 204);
  }
  if (method === 'GET' && path === '/persons') {
    const q = Object.fromEntries(url.searchParams);
    const keys = ['kana', 'kanji', 'birth_date', 'person_id', 'insured_no'].filter((k) => q[k]);
    if (keys.length === 0) return fail(res, 400, 'invalid_input', '検索条件を1つ以上指定してください');
    if (q.birth_date && !/^\d{4}-\d{2}-\d{2}$/.test(q.birth_date))
      return fail(res, 400, 'invalid_input', '生年月日の形式が正しくありません', 'birth_date');
    const hits = PEOPLE.filter(
      (p) =>
        (!q.kana || p.name_kana.startsWith(q.kana)) &&
        (!q.kanji || p.name_kanji.startsWith(q.kanji)) &&
        (!q.birth_date || p.birth_date === q.birth_date) &&
        (!q.person_id || p.person_id === q.person_id) &&
        (!q.insured_no || p.insured_no === q.insured_no),
    );
    const limit = Math.min(Number(q.limit) || 50, 200);
    return send(res, 200, { items: hits.slice(0, limit).map(summary), truncated: hits.length > limit });
  }
  const pm = /^\/persons\/([^/]+)$/.exec(path);
  if (method === 'GET' && pm) {
    const p = PEOPLE.find((x) => x.person_id === decodeURIComponent(pm[1]));
    if (!p) return fail(res, 404, 'not_found', '該当する宛名がありません');
    return send(res, 200, detail(p, s.user, url.searchParams.get('show_my_number') === '1'));
  }
  if (method === 'GET' && path === '/flows') {
    return send(
      res,
      200,
      flowRows.map((f, i) => ({
        ...f,
        state: i < 3 ? 'implemented' : 'not_yet',
        tests: i < 3 ? [`PersonRegistry.${f.id.replace('-', '_')}`] : [],
        traffic: i < 3 ? { count: 1200 - i * 400, errors: i === 1 ? 2 : 0, last_exchange_at: '2026-11-20T15:04:05Z' }
          : { count: 0, errors: 0, last_exchange_at: null },
      })),
    );
  }
  for (const handler of [benefit, certification, cases.handle, eligibility, premium]) {
    const r = await handler(method, path, url.searchParams, () => readJson(req), s.user);
    if (!r) continue;
    if (r.text === undefined) return send(res, r.status, r.body, r.headers);
    res.statusCode = r.status;
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    return void res.end(r.text);
  }
  const inquiry = handleInquiries(method, path, url.searchParams, () => readJson(req), s.user, PERSON_IDS);
  if (inquiry) {
    const r = await inquiry;
    if (r.text === undefined) return send(res, r.status, r.body, r.headers);
    res.statusCode = r.status;
    for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
    return void res.end(r.text);
  }
  return fail(res, 404, 'not_found', `no route ${method} ${path}`);
}

export function mockApi(): Plugin {
  return {
    name: 'kaigo-mock-api',
    configureServer(server) {
      server.middlewares.use('/api/v1', (req, res) => void handle(req, res));
    },
  };
}
