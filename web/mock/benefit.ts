// 給付 part of the mock (docs/api-benefit.md), for `npm run dev:mock` only. One insured person in
// four is a recipient: a 居宅介護支援 care plan, a co-payment rate (1割, 2割 for ids ending in 0) and
// one or two benefit records a month for the last six service months. A KY-03 draft is built from
// the waiting changes (care plans registered here, two seeded; an office number starting with 9 is
// held: 事業所番号が台帳にありません); the 国保連 simulator (「N日進める」, counterpart `kokuhoren`)
// sends one KY-04 file per 30 simulated days with the next service month's records of everyone in a
// sent file, and one rejected file is seeded with its line errors. 高額: the household's co-payments
// of the month against a mock cap per category (the server reads the caps from its rule file), the
// excess split by each one's share; paid only with an application (KY-05), else held. Payments go
// out in a KY-17 file; repayments add a mock 40% 加算金 for a provider's fraud; three 合算 rows.
import { tinyPdf } from './eligibility';

interface Person {
  person_id: string;
  name_kanji: string;
  household_id: string;
  insured_no: string | null;
}
interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

const WORKERS = new Set(['benefit_staff', 'supervisor']);
const err = (status: number, kind: string, message: string, field: string | null = null): Reply => ({ status, body: { error: { kind, message, field } } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const pdf = (title: string): Reply => ({ status: 200, text: tinyPdf(title), headers: { 'Content-Type': 'application/pdf' } });
const ISO = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
// Mock caps (yen per household and month); the server's come from config/rules/benefit.
const CAPS: Record<string, number> = { taxable_690: 140100, taxable_380: 93000, taxed: 44400, household_untaxed: 24600, low_income: 15000, public_assistance: 15000 };
const CATEGORIES = ['taxed', 'household_untaxed', 'low_income', 'taxed', 'taxable_380'];
const KINDS = [['11', '訪問介護'], ['15', '通所介護'], ['13', '訪問看護'], ['17', '福祉用具貸与']];

const now = () => new Date().toISOString();
const today = () => now().slice(0, 10);
function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export function benefitHandler(people: Person[]) {
  let seq = 1000;
  const id = () => ++seq;
  const byId = new Map(people.map((p) => [p.person_id, p]));
  const recipients = people.filter((p) => p.insured_no && Number(p.person_id) % 4 === 0);
  const rateOf = (pid: string) => (pid.endsWith('0') ? 2 : 1);
  const thisMonth = today().slice(0, 7);

  const carePlans: Record<string, unknown>[] = [];
  const events: { person_id: string; office_no: string | null; change_kind: string; change_date: string }[] = [];
  const records: Record<string, unknown>[] = [];
  const files: Record<string, unknown>[] = [];
  const fileRecords = new Map<number, Record<string, unknown>[]>();
  const inbound: Record<string, unknown>[] = [];
  const applications: Record<string, unknown>[] = [];
  const decisions: Record<string, unknown>[] = [];
  const payments: { decision_id: number; amount: number; sent: boolean }[] = [];
  const paymentFiles: Record<string, unknown>[] = [];
  const repayments: Record<string, unknown>[] = [];
  const runs: Record<string, unknown>[] = [];
  let simMonth = addMonths(thisMonth, -1); // the next KY-04 file carries this service month

  const addRecord = (p: Person, month: string, n: number, fileId: number, line: number) => {
    const [kind, name] = KINDS[(Number(p.person_id) + n) % KINDS.length];
    const total = 30000 + ((Number(p.person_id) * 7919 + n * 104729 + Number(month.replace('-', ''))) % 27) * 10000;
    const copayment = Math.floor((total * rateOf(p.person_id)) / 10);
    records.push({
      record_id: id(), claim_no: `C${month.replace('-', '')}${p.person_id}${n}`, person_id: p.person_id, insured_no: p.insured_no, service_month: month,
      review_month: addMonths(month, 1), office_no: `01701000${10 + ((Number(p.person_id) + n) % 9)}`, office_name: `模擬介護事業所${(Number(p.person_id) + n) % 9 + 1}`,
      service_kind: kind, service_kind_name: name, payment_kind: 'in_kind', days: 4 + (n % 8), units: Math.floor(total / 10.72), total_cost: total,
      insurance_paid: total - copayment, copayment, public_paid: 0, status: 'current', file_id: fileId, line_no: line,
    });
  };

  // Seed: the last six service months, a rejected file, care plans, two waiting changes, three 合算.
  for (let k = 6; k >= 1; k--) {
    const month = addMonths(thisMonth, -1 - k);
    const fileId = id();
    let line = 0;
    for (const p of recipients) for (let n = 0; n < 1 + (Number(p.person_id) % 2); n++) addRecord(p, month, n, fileId, ++line);
    inbound.push({ file_id: fileId, flow_id: 'KY-04', exchange_id: id(), layout_version: 'KY04.v1', status: 'applied', record_count: line, summary: { new: line, corrected: 0, cancelled: 0 }, received_at: `${addMonths(month, 2)}-05T09:00:00+09:00` });
  }
  inbound.push({
    file_id: id(), flow_id: 'KY-04', exchange_id: id(), layout_version: 'KY04.v1', status: 'rejected', record_count: 0, summary: {}, received_at: `${addMonths(thisMonth, -2)}-06T09:00:00+09:00`,
    errors: [{ line_no: 14, field: 'サービス提供年月', message: '年月が正しくありません (202613)' }, { line_no: 31, field: '費用額', message: '数字ではありません' }],
  });
  for (const p of recipients) {
    carePlans.push({ care_plan_id: id(), person_id: p.person_id, plan_kind: 'home_care', office_no: '0170100011', office_name: '模擬居宅介護支援事業所', notified_on: '2025-04-01', valid_from: '2025-04-01', valid_to: null, status: 'current', recorded_at: '2025-04-01T10:00:00+09:00', recorded_by: 'kyufu' });
  }
  for (const p of people.filter((x) => x.insured_no).slice(0, 2))
    events.push({ person_id: p.person_id, office_no: p.person_id.endsWith('1') ? '9999999999' : '0170100011', change_kind: 'new', change_date: today() });
  const combined = recipients.slice(0, 3).map((p, i) => ({
    combined_id: id(), person_id: p.person_id, name_kanji: p.name_kanji, kokuho_ref: `KH2025${String(i + 1).padStart(5, '0')}`, period_from: '2024-08-01', period_to: '2025-07-31',
    medical_insurer_no: '01123456', status: ['received', 'certified', 'decided'][i], care_copayment: i ? 180000 + i * 10000 : null, medical_copayment: i === 2 ? 320000 : null,
    excess_total: i === 2 ? 190000 : null, care_share: i === 2 ? 68400 : null, decided_amount: i === 2 ? 68400 : null, recorded_at: '2025-11-10T09:00:00+09:00',
  }));

  const advance = (days: number): string => {
    // Files sent are taken; every 30 simulated days one KY-04 file of the next service month.
    const sentPersons = new Set<string>();
    for (const f of files.filter((x) => x.status === 'sent')) for (const r of fileRecords.get(f.file_id as number) ?? []) sentPersons.add(r.person_id as string);
    let made = 0;
    for (let d = 30; d <= days; d += 30) {
      const fileId = id();
      let line = 0;
      const who = [...new Set([...recipients.map((p) => p.person_id), ...sentPersons])].map((x) => byId.get(x)!).filter(Boolean);
      if (!records.some((r) => r.service_month === simMonth)) for (const p of who) addRecord(p, simMonth, 0, fileId, ++line);
      inbound.unshift({ file_id: fileId, flow_id: 'KY-04', exchange_id: id(), layout_version: 'KY04.v1', status: 'applied', record_count: line, summary: { new: line, corrected: 0, cancelled: 0 }, received_at: now() });
      simMonth = addMonths(simMonth, 1);
      made++;
    }
    return made ? `給付実績ファイル ${made}件を送りました` : '30日に満たないため給付実績はまだありません';
  };

  const decide = (month: string) => {
    const mine = records.filter((r) => r.service_month === month && r.status === 'current');
    const byHousehold = new Map<string, Record<string, unknown>[]>();
    for (const r of mine) {
      const h = byId.get(r.person_id as string)?.household_id ?? '';
      byHousehold.set(h, [...(byHousehold.get(h) ?? []), r]);
    }
    let made = 0, paid = 0, held = 0, unchanged = 0;
    for (const [household, rs] of byHousehold) {
      const hhTotal = rs.reduce((s, r) => s + (r.copayment as number), 0);
      const pids = [...new Set(rs.map((r) => r.person_id as string))];
      const category = CATEGORIES[Number(pids[0]) % CATEGORIES.length];
      const cap = CAPS[category];
      for (const pid of pids) {
        const own = rs.filter((r) => r.person_id === pid).reduce((s, r) => s + (r.copayment as number), 0);
        const amount = hhTotal > cap ? Math.floor(((hhTotal - cap) * own) / hhTotal) : 0;
        const before = decisions.find((d) => d.person_id === pid && d.service_month === month && d.status === 'current');
        if (before && before.amount === amount) { unchanged++; continue; }
        if (before) before.status = 'superseded';
        const app = applications.find((a) => a.person_id === pid && a.status === 'active' && (a.first_month as string) <= month);
        const d = {
          decision_id: id(), person_id: pid, name_kanji: byId.get(pid)?.name_kanji ?? '', service_month: month, household_key: household, category, household_copayment: hhTotal,
          own_copayment: own, cap, amount, paid_before: before ? (before.amount as number) : 0, application_id: app ? app.application_id : null, status: 'current', decided_at: now(),
          held: amount > 0 && !app, notice: null as string | null,
          explanation: [
            { label: 'サービス提供月', text: month },
            { label: '世帯', text: `世帯番号 ${household}・${pids.length}人` },
            { label: '所得区分', text: `${category} (模擬)` },
            { label: '世帯の利用者負担', text: `${hhTotal.toLocaleString('ja-JP')}円` },
            { label: '上限額', text: `${cap.toLocaleString('ja-JP')}円 (模擬の額)` },
            { label: '本人の負担', text: `${own.toLocaleString('ja-JP')}円` },
            { label: '支給額', text: `(${hhTotal} − ${cap}) × ${own} / ${hhTotal} = ${amount.toLocaleString('ja-JP')}円 (円未満切捨て)` },
          ],
        };
        if (amount > 0) d.notice = `/api/v1/high-cost-decisions/${d.decision_id}/notice.pdf`;
        decisions.push(d);
        made++;
        if (amount > 0 && app) { payments.push({ decision_id: d.decision_id, amount, sent: false }); paid++; }
        if (amount > 0 && !app) held++;
      }
    }
    const runId = id();
    const notices = decisions.filter((d) => d.service_month === month && d.status === 'current' && (d.amount as number) > 0).length;
    const run = { batch_run_id: runId, month, status: 'done', households: byHousehold.size, persons: made + unchanged, decided: made, unchanged, held, paid, paid_total: payments.filter((x) => !x.sent).reduce((t, x) => t + x.amount, 0), repayments: 0, repayment_total: 0, notices, pdf: notices ? `/api/v1/benefit/high-cost-runs/${runId}.pdf` : null };
    runs.push(run);
    return run;
  };

  return async (method: string, path: string, params: URLSearchParams, body: () => Promise<Record<string, unknown>>, user: { user_id: string; roles: string[] }): Promise<Reply | undefined> => {
    const worker = user.roles.some((r) => WORKERS.has(r));
    if (path === '/simulators' && method === 'GET' && worker) {
      const items = [{ counterpart: 'kokuhoren', label: '国保連 (模擬)' }];
      if (user.roles.some((r) => r === 'eligibility_staff' || r === 'supervisor')) items.unshift({ counterpart: 'juki', label: '住民基本台帳 (模擬)' });
      if (user.roles.some((r) => r === 'certification_staff' || r === 'supervisor')) items.push({ counterpart: 'shinsa', label: '認定審査会支援システム (模擬)' });
      return ok({ items });
    }
    if (path === '/simulators/kokuhoren/advance' && method === 'POST') {
      if (!worker) return err(403, 'forbidden', '給付を扱う権限がありません');
      const days = Number((await body()).days);
      if (!Number.isInteger(days) || days < 1 || days > 366) return err(400, 'invalid_input', 'days must be 1..366', 'days');
      return ok({ summary: advance(days) });
    }
    const mine = /^\/(persons\/[^/]+\/(care-plans|benefit-records|copayment-rates|copayment-card\.pdf|high-cost-applications|high-cost-decisions|statement\.pdf)|benefit\/|care-plans\/|high-cost-|repayments|combined-applications)/.test(path);
    if (!mine) return undefined;
    if (!worker) return err(403, 'forbidden', '給付を扱う権限がありません');
    let m: RegExpExecArray | null;
    if ((m = /^\/persons\/([^/]+)\/(.+)$/.exec(path))) {
      const pid = decodeURIComponent(m[1]);
      const p = byId.get(pid);
      if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      const what = m[2];
      if (what === 'care-plans' && method === 'GET') return ok({ items: carePlans.filter((c) => c.person_id === pid).reverse() });
      if (what === 'care-plans' && method === 'POST') {
        const b = await body();
        if (!['home_care', 'prevention', 'self'].includes(String(b.plan_kind))) return err(400, 'invalid_input', 'plan_kind must be home_care, prevention or self', 'plan_kind');
        if (b.plan_kind !== 'self' && !/^\d{10}$/.test(String(b.office_no ?? ''))) return err(400, 'invalid_input', '事業所番号は10桁です', 'office_no');
        if (!ISO.test(String(b.notified_on))) return err(400, 'invalid_input', 'notified_on must be YYYY-MM-DD', 'notified_on');
        if (!ISO.test(String(b.valid_from))) return err(400, 'invalid_input', 'valid_from must be YYYY-MM-DD', 'valid_from');
        for (const c of carePlans.filter((x) => x.person_id === pid && x.status === 'current')) { c.status = 'ended'; c.valid_to = String(b.valid_from); }
        const c = { care_plan_id: id(), person_id: pid, plan_kind: b.plan_kind, plan_kind_label: null, office_no: b.plan_kind === 'self' ? null : b.office_no, office_name: null, notified_on: b.notified_on, valid_from: b.valid_from, valid_to: null, status: 'current', recorded_at: now(), recorded_by: user.user_id };
        carePlans.push(c);
        events.push({ person_id: pid, office_no: c.office_no as string | null, change_kind: carePlans.filter((x) => x.person_id === pid).length > 1 ? 'change' : 'new', change_date: String(b.valid_from) });
        return ok(c, 201);
      }
      if (what === 'copayment-rates' && method === 'GET') {
        if (!p.insured_no) return ok({ person_id: pid, rates: [] });
        const y = Number(today().slice(0, 4)) - (today().slice(5, 7) < '08' ? 1 : 0);
        return ok({
          person_id: pid,
          rates: [y, y - 1].map((ry, i) => ({
            rate_id: Number(pid.slice(-6)) * 10 + i, rate_year: ry, valid_from: `${ry}-08-01`, valid_to: `${ry + 1}-07-31`, rate: rateOf(pid), tax_year: ry - 1, reason: 'yearly', status: 'current',
            decided_at: `${ry}-07-15T10:00:00+09:00`, decided_by: 'batch',
            explanation: [{ label: '所得年', text: `${ry - 1}年` }, { label: '本人の合計所得金額', text: rateOf(pid) === 2 ? '1,800,000円 (160万円以上)' : '900,000円 (160万円未満)' }, { label: '負担割合', text: `${rateOf(pid)}割` }],
          })),
        });
      }
      if (what === 'copayment-card.pdf' && method === 'GET') return pdf(`copayment-card-${pid}`);
      if (what === 'statement.pdf' && method === 'GET') return pdf(`statement-${pid}`);
      if (what === 'benefit-records' && method === 'GET') {
        const from = params.get('from') ?? '0000-00';
        const to = params.get('to') ?? '9999-99';
        if (params.get('from') && !MONTH.test(from)) return err(400, 'invalid_input', 'from must be YYYY-MM', 'from');
        return ok({ items: records.filter((r) => r.person_id === pid && r.status === 'current' && (r.service_month as string) >= from && (r.service_month as string) <= to) });
      }
      if (what === 'high-cost-applications' && method === 'GET') return ok({ items: applications.filter((a) => a.person_id === pid) });
      if (what === 'high-cost-applications' && method === 'POST') {
        const b = await body();
        for (const [f, re] of [['received_on', ISO], ['first_month', MONTH], ['bank_code', /^\d{4}$/], ['branch_code', /^\d{3}$/], ['account_no', /^\d{7}$/]] as [string, RegExp][])
          if (!re.test(String(b[f] ?? ''))) return err(400, 'invalid_input', `${f} is not valid`, f);
        if (applications.some((a) => a.person_id === pid && a.status === 'active')) return err(409, 'conflict', '有効な申請がすでにあります', 'person_id');
        const a = { application_id: id(), person_id: pid, received_on: b.received_on, first_month: b.first_month, bank_code: b.bank_code, branch_code: b.branch_code, account_kind: b.account_kind, account_no: b.account_no, account_holder_kana: b.account_holder_kana, status: 'active', recorded_at: now(), recorded_by: user.user_id };
        applications.push(a);
        return ok(a, 201);
      }
      if (what === 'high-cost-decisions' && method === 'GET') return ok({ items: decisions.filter((d) => d.person_id === pid).reverse() });
      return err(404, 'not_found', `no route ${method} ${path}`);
    }
    if (path === '/benefit/recipient-files' && method === 'GET') return ok({ items: [...files].reverse() });
    if (path === '/benefit/recipient-files' && method === 'POST') {
      // As the server: an open draft is replaced; nothing waiting → file: null.
      const open = files.find((f) => f.status === 'draft');
      if (open) open.status = 'discarded';
      if (events.length === 0) return ok({ file: null, events: 0, skipped: 0 });
      const fileId = id();
      const recs = events.map((e) => {
        const held = e.office_no?.startsWith('9') ?? false;
        return {
          record_id: id(), person_id: e.person_id, insured_no: byId.get(e.person_id)?.insured_no ?? '', change_kind: e.change_kind, correction: 'none', change_date: e.change_date,
          check_status: held ? 'held' : 'ok', check_causes: held ? [{ cause: 'office_unknown', field: '居宅介護支援事業所番号', message: '事業所番号が台帳にありません' }] : [],
        };
      });
      fileRecords.set(fileId, recs);
      const f = { file_id: fileId, kind: 'regular', status: 'draft', layout_version: 'KY03.v1', record_count: recs.filter((r) => r.check_status === 'ok').length, held_count: recs.filter((r) => r.check_status === 'held').length, exchange_id: null, built_at: now(), built_by: user.user_id, sent_at: null, sent_by: null };
      files.push(f);
      return ok({ ...f, records: recs, checks: recs.filter((r) => r.check_status === 'held'), events: events.length, skipped: 0, discarded_file_id: open ? open.file_id : null }, 201);
    }
    if ((m = /^\/benefit\/recipient-files\/(\d+)(\/(send|discard|file\.csv))?$/.exec(path))) {
      const f = files.find((x) => x.file_id === Number(m![1]));
      if (!f) return err(404, 'not_found', 'ファイルがありません', 'file_id');
      const recs = fileRecords.get(f.file_id as number) ?? [];
      if (!m[3] && method === 'GET') return ok({ ...f, records: recs });
      if (m[3] === 'file.csv' && method === 'GET') return { status: 200, text: recs.filter((r) => r.check_status === 'ok').map((r) => `${r.insured_no},${r.change_kind},${r.change_date}`).join('\r\n'), headers: { 'Content-Type': 'text/csv; charset=utf-8' } };
      if (f.status !== 'draft') return err(409, 'conflict', '下書きではありません');
      if (m[3] === 'send' && method === 'POST') {
        Object.assign(f, { status: 'sent', exchange_id: id(), sent_at: now(), sent_by: user.user_id });
        // Sent changes leave the queue; held ones wait for the next file.
        const heldPersons = new Set(recs.filter((r) => r.check_status === 'held').map((r) => r.person_id));
        events.splice(0, events.length, ...events.filter((e) => heldPersons.has(e.person_id)));
        return ok({ ...f, records: recs });
      }
      if (m[3] === 'discard' && method === 'POST') {
        f.status = 'discarded';
        return ok({ ...f, records: recs });
      }
    }
    if (path === '/benefit/inbound-files' && method === 'GET') return ok({ items: inbound.filter((f) => !params.get('flow') || f.flow_id === params.get('flow')).map(({ errors, ...f }) => ({ ...f, error_count: (errors as unknown[] | undefined)?.length ?? 0 })) });
    if ((m = /^\/benefit\/inbound-files\/(\d+)$/.exec(path)) && method === 'GET') {
      const f = inbound.find((x) => x.file_id === Number(m![1]));
      return f ? ok({ errors: [], ...f }) : err(404, 'not_found', 'ファイルがありません', 'file_id');
    }
    if (path === '/benefit/benefit-records/summary' && method === 'GET') {
      const month = params.get('month') ?? '';
      if (!MONTH.test(month)) return err(400, 'invalid_input', 'month must be YYYY-MM', 'month');
      const rs = records.filter((r) => r.service_month === month && r.status === 'current');
      return ok({ month, records: rs.length, persons: new Set(rs.map((r) => r.person_id)).size, total_cost: rs.reduce((s, r) => s + (r.total_cost as number), 0), copayment: rs.reduce((s, r) => s + (r.copayment as number), 0) });
    }
    if (path === '/benefit/high-cost-runs' && method === 'POST') {
      const month = String((await body()).month ?? '');
      if (!MONTH.test(month)) return err(400, 'invalid_input', 'month must be YYYY-MM', 'month');
      return ok(decide(month), 201);
    }
    if (path === '/benefit/high-cost-runs' && method === 'GET') return ok({ items: [...runs].reverse() });
    if ((m = /^\/benefit\/high-cost-runs\/(\d+)\.pdf$/.exec(path)) && method === 'GET') return pdf(`high-cost-run-${m[1]}`);
    if ((m = /^\/high-cost-decisions\/(\d+)(\/notice\.pdf)?$/.exec(path)) && method === 'GET') {
      const d = decisions.find((x) => x.decision_id === Number(m![1]));
      if (!d) return err(404, 'not_found', '決定がありません', 'decision_id');
      if (m[2] && (d.amount as number) === 0) return err(409, 'conflict', '支給のない決定に通知書はありません');
      return m[2] ? pdf(`high-cost-notice-${d.decision_id}`) : ok(d);
    }
    if (path === '/benefit/payment-files' && method === 'GET') return ok({ items: [...paymentFiles].reverse() });
    if (path === '/benefit/payment-files' && method === 'POST') {
      const flow = String((await body()).flow ?? '');
      if (flow !== 'KY-17' && flow !== 'KY-20') return err(400, 'invalid_input', 'flow must be KY-17 or KY-20', 'flow');
      const due = flow === 'KY-17' ? payments.filter((x) => !x.sent) : [];
      if (due.length === 0) return ok({ items: [] });
      for (const x of due) x.sent = true;
      const f = { flow_id: flow, rows: due.length, total: due.reduce((s, x) => s + x.amount, 0), created_at: now(), exchange_id: id() };
      paymentFiles.push(f);
      return ok({ items: [f] }, 201);
    }
    if (path === '/repayments' && method === 'GET') {
      const status = params.get('status');
      const pid = params.get('person_id');
      return ok({ items: repayments.filter((r) => (!status || r.status === status) && (!pid || r.person_id === pid)).reverse() });
    }
    if (path === '/repayments' && method === 'POST') {
      const b = await body();
      if (b.debtor_kind !== 'insured' && b.debtor_kind !== 'provider') return err(400, 'invalid_input', 'debtor_kind must be insured or provider', 'debtor_kind');
      const p = b.person_id ? byId.get(String(b.person_id)) : undefined;
      if (b.debtor_kind === 'insured' && !p) return err(400, 'invalid_input', '宛名番号の人がいません', 'person_id');
      const principal = Number(b.principal);
      if (!Number.isInteger(principal) || principal <= 0) return err(400, 'invalid_input', 'principal must be a positive integer', 'principal');
      if (!String(b.reason ?? '').trim()) return err(400, 'invalid_input', 'reason is required', 'reason');
      const surcharge = b.reason_kind === 'provider_fraud' ? Math.floor((principal * 40) / 100) : 0; // mock: 法22条3項 up to 40/100
      const decided = String(b.decided_on ?? today());
      const due = new Date(`${decided}T00:00:00Z`);
      due.setUTCDate(due.getUTCDate() + 20);
      const r = {
        repayment_id: id(), debtor_kind: b.debtor_kind, person_id: p?.person_id ?? null, office_no: b.office_no ?? null, debtor_name: String(b.debtor_name || p?.name_kanji || ''),
        reason_kind: b.reason_kind, reason: b.reason, principal, surcharge, total: principal + surcharge, paid_total: 0, slip_no: `${decided.slice(0, 4)}${String(seq).padStart(7, '0')}0`,
        decided_on: decided, due_on: due.toISOString().slice(0, 10), status: 'open', decided_by: user.user_id, recorded_at: now(), receipts: [],
        explanation: [{ label: '元金', text: `${principal}円` }, { label: '加算金', text: surcharge ? `${principal} × 40/100 = ${surcharge}円 (模擬の割合)` : 'なし' }, { label: '納期限', text: '決定日 + 20日 (模擬)' }],
      };
      repayments.push(r);
      return ok(r, 201);
    }
    if ((m = /^\/repayments\/(\d+)(\/(notice\.pdf|cancel))?$/.exec(path))) {
      const r = repayments.find((x) => x.repayment_id === Number(m![1]));
      if (!r) return err(404, 'not_found', '返還金がありません', 'repayment_id');
      if (!m[3] && method === 'GET') return ok(r);
      if (m[3] === 'notice.pdf' && method === 'GET') return pdf(`repayment-${r.repayment_id}`);
      if (m[3] === 'cancel' && method === 'POST') {
        if (r.status !== 'open') return err(409, 'conflict', '納付のある返還金は取り消せません');
        r.status = 'cancelled';
        return ok(r);
      }
    }
    if ((m = /^\/combined-applications\/(\d+)\/notice\.pdf$/.exec(path)) && method === 'GET') return pdf(`combined-${m[1]}`);
    if (path === '/benefit/combined-applications' && method === 'GET') return ok({ items: combined.filter((c) => !params.get('status') || c.status === params.get('status')) });
    if (path === '/benefit/statement-runs' && method === 'POST') {
      const b = await body();
      if (!MONTH.test(String(b.from ?? ''))) return err(400, 'invalid_input', 'from must be YYYY-MM', 'from');
      if (!MONTH.test(String(b.to ?? ''))) return err(400, 'invalid_input', 'to must be YYYY-MM', 'to');
      const persons = new Set(records.filter((r) => (r.service_month as string) >= String(b.from) && (r.service_month as string) <= String(b.to)).map((r) => r.person_id as string));
      const first = [...persons][0];
      return ok({ batch_run_id: id(), status: 'done', persons: persons.size, documents: persons.size, files: first ? [`/api/v1/persons/${first}/statement.pdf?from=${b.from}&to=${b.to}`] : [] }, 201);
    }
    return err(404, 'not_found', `no route ${method} ${path}`);
  };
}
