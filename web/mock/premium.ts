// The 賦課 routes of the mock API (docs/api-premium.md), dev server only. The table is the real
// rule file (config/rules/premium/*.json); each insured mock person has synthetic tax inputs (a few
// on 生活保護, a few 老齢福祉年金, a few 未申告, a household of two) and is assessed by a simplified
// reading of the same rules (施行令38条: welfare → 老齢福祉年金 → the income interval of the tax
// status), with an explanation in the server's words. The previous fiscal year is assessed at
// start (some persons with a 所得更正 revision); the current one waits for 「本算定」, which the mock
// works at 60 persons a second as the server's background job would. 異動賦課 re-assesses three
// queued persons once. 徴収: two persons in three are 特別徴収 targets (six pension months, months
// past collected), the others pay by slip in the city's ten 期 (6月〜3月). Enough to drive the
// screens, not the law.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reply } from './inquiries';
import { nowIso } from './register';
import { tinyPdf } from './eligibility';

interface MockPerson {
  person_id: string;
  household_id: string;
  insured_no: string | null;
}

interface RuleAlternative {
  status: string;
  old_age_welfare_pension?: boolean;
  measure?: string;
  lower?: number;
  lower_inclusive?: boolean;
  upper?: number;
  upper_inclusive?: boolean;
}
interface RuleStage { number: number; label: string; welfare?: boolean; ratio: string; reduced_ratio?: string; alternatives: RuleAlternative[]; note?: string }
interface RuleVersion { effective_from: string; base_amount: number; apply_reduced_ratio: boolean; stages: RuleStage[] }
interface RuleFile { name: string; first_fiscal_year: number; last_fiscal_year: number; versions: RuleVersion[] }
interface LoadedTable { file: string; sha256: string; rules: RuleFile }

const WRITERS = new Set(['premium_staff', 'supervisor']);
const READERS = new Set([...WRITERS, 'eligibility_staff', 'certification_staff', 'benefit_staff']);
const PER_SECOND = 60; // persons the mock's 本算定 assesses per second

const err = (status: number, kind: string, message: string, field: string | null = null): Reply => ({ status, body: { error: { kind, message, field } } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });

function fiscalYearNow(): number {
  const d = new Date();
  return d.getMonth() + 1 >= 4 ? d.getFullYear() : d.getFullYear() - 1;
}

function loadTables(): LoadedTable[] {
  const dir = fileURLToPath(new URL('../../config/rules/premium/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const text = readFileSync(dir + file, 'utf8');
      // Not the real sha256 of the bytes (node:crypto would do, but the mock only shows it).
      let hash = 0;
      for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
      return { file, sha256: hash.toString(16).padStart(8, '0').repeat(8), rules: JSON.parse(text) as RuleFile };
    });
}

/** "0.455" → [455, 1000]; "7/12" → [7, 12]. */
function ratioParts(text: string): [number, number] | null {
  let m = /^(\d+)\/(\d+)$/.exec(text);
  if (m) return [Number(m[1]), Number(m[2])];
  m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = m[2] ?? '';
  return [Number(m[1] + frac), 10 ** frac.length];
}

const commas = (n: number) => n.toLocaleString('ja-JP');

/** 826500 → 82万6,500円, 809000 → 80万9千円 (as the server writes bounds). */
function manYen(yen: number): string {
  const man = Math.floor(yen / 10000);
  const rest = yen % 10000;
  const head = man ? `${man}万` : '';
  if (rest === 0) return head ? `${head}円` : '0円';
  if (rest % 1000 === 0) return `${head}${rest / 1000}千円`;
  return `${head}${commas(rest)}円`;
}

function describe(a: RuleAlternative): string {
  const lo = a.lower !== undefined ? `${manYen(a.lower)}${a.lower_inclusive === false ? 'を超え' : '以上'}` : '';
  const hi = a.upper !== undefined ? `${manYen(a.upper)}${a.upper_inclusive ? '以下' : '未満'}` : '';
  return lo && hi ? `${lo}${hi}` : lo || hi || '全額';
}

function within(a: RuleAlternative, x: number): boolean {
  if (a.lower !== undefined && (a.lower_inclusive === false ? x <= a.lower : x < a.lower)) return false;
  if (a.upper !== undefined && (a.upper_inclusive ? x > a.upper : x >= a.upper)) return false;
  return true;
}

const STATUS_TEXT: Record<string, string> = {
  household_untaxed: '世帯全員が市町村民税非課税',
  self_untaxed_household_taxed: '本人が市町村民税非課税 (世帯に課税者あり)',
  self_taxed: '本人が市町村民税課税',
};
const MEASURE_TEXT: Record<string, string> = { pension_revenue_plus_other: '課税年金収入額＋その他の合計所得金額', total_income: '合計所得金額' };

interface Inputs {
  welfare: boolean;
  oldAge: boolean;
  tax: null | { taxed: boolean; total_income: number; public_pension_income: number; taxable_pension_income: number; pension_misc_income: number };
  spouse: { person_id: string; taxed: boolean | null } | null;
  months: number; // 12, or 6 for somebody who reached 65 in October
}

interface Decision { stage: RuleStage; status: string; measureLine: string; ratio: [number, number]; annual: number }

function decide(v: RuleVersion, inp: Inputs): Decision {
  const selfTaxed = inp.tax?.taxed ?? false;
  const status = selfTaxed ? 'self_taxed' : inp.spouse?.taxed ? 'self_untaxed_household_taxed' : 'household_untaxed';
  let stage: RuleStage | undefined;
  let measureLine = '';
  if (inp.welfare) {
    stage = v.stages.find((s) => s.welfare);
    measureLine = '判定に用いない (生活保護等の受給者)';
  }
  if (!stage && inp.oldAge) {
    stage = v.stages.find((s) => s.alternatives.some((a) => a.status === status && a.old_age_welfare_pension));
    if (stage) measureLine = '判定に用いない (老齢福祉年金の受給者)';
  }
  if (!stage) {
    const t = inp.tax;
    const values: Record<string, number> = {
      pension_revenue_plus_other: t ? t.taxable_pension_income + Math.max(0, t.total_income - t.pension_misc_income) : 0,
      total_income: t ? t.total_income : 0,
    };
    for (const s of v.stages) {
      const a = s.alternatives.find((x) => x.status === status && x.measure && within(x, values[x.measure]));
      if (a) {
        stage = s;
        measureLine = `${MEASURE_TEXT[a.measure!]}: ${commas(values[a.measure!])}円`;
        break;
      }
    }
  }
  stage ??= v.stages[v.stages.length - 1];
  const ratio = ratioParts(v.apply_reduced_ratio && stage.reduced_ratio ? stage.reduced_ratio : stage.ratio) ?? [1, 1];
  const annual = Math.floor((v.base_amount * ratio[0]) / ratio[1] / 10) * 10;
  return { stage, status, measureLine, ratio, annual };
}

interface Row {
  assessment_id: number; person_id: string; fiscal_year: number; revision: number; is_current: boolean; insured_no: string;
  base_date: string; stage: number; stage_label: string; ratio: string; reduced: boolean; annual_amount: number; months: number;
  amount: number; previous_amount: number; difference: number; table: { name: string; sha256: string; effective_from: string };
  inputs: unknown; explanation: { label: string; text: string }[]; cause: string; batch_run_id: number | null; assessed_at: string; assessed_by: string;
}

interface Run { batch_run_id: number; job: string; run_key: string; status: string; done: number; total: number; started_at: string; finished_at: string; started_by: string; startedMs: number }

export function premiumHandler(people: MockPerson[]) {
  const tables = loadTables();
  const rows: Row[] = [];
  const runs: Run[] = [];
  let nextId = 1;
  let nextRun = 1;
  // (person, year) pairs with a change waiting for 異動賦課: three 所得更正 of the previous year.
  const queue: { index: number; fy: number }[] = [];
  const incomeRevised = new Set<string>(); // person ids whose income was corrected once (revision 1)

  const tableFor = (fy: number) => tables.find((t) => t.rules.first_fiscal_year <= fy && fy <= t.rules.last_fiscal_year);
  const versionFor = (t: LoadedTable, fy: number) => [...t.rules.versions].reverse().find((v) => v.effective_from <= `${fy}-04-01`);
  const insured = () => people.filter((p) => p.insured_no !== null);

  const inputsOf = (p: MockPerson): Inputs => {
    const n = people.indexOf(p);
    const r = (n * 37) % 100;
    const pension = 600000 + ((n * 7919) % 2500000);
    const taxed = r >= 55;
    const total = taxed ? 400000 + ((n * 104729) % 8000000) : Math.max(0, pension - 1100000);
    const corrected = incomeRevised.has(p.person_id) ? 900000 : 0; // a 更正 raised the income
    const spouse = people.find((q) => q.household_id === p.household_id && q !== p) ?? null;
    const sr = spouse ? (people.indexOf(spouse) * 37) % 100 : 0;
    return {
      welfare: r < 3,
      oldAge: r >= 3 && r < 5,
      tax: r >= 5 && r < 7 ? null : { taxed, total_income: total + corrected, public_pension_income: pension, taxable_pension_income: pension, pension_misc_income: taxed ? 0 : total },
      spouse: spouse ? { person_id: spouse.person_id, taxed: sr >= 5 && sr < 7 ? null : sr >= 55 } : null,
      months: n % 17 === 0 ? 6 : 12,
    };
  };

  /** The row the server would store for (person, year) now, revision and history left to the caller. */
  const compute = (p: MockPerson, fy: number) => {
    const t = tableFor(fy);
    const v = t && versionFor(t, fy);
    if (!t || !v) return null;
    const inp = inputsOf(p);
    const d = decide(v, inp);
    const base = inp.months === 12 ? `${fy}-04-01` : `${fy}-10-0${(people.indexOf(p) % 9) + 1}`;
    const months = Array.from({ length: inp.months }, (_, i) => {
      const m = (inp.months === 12 ? 4 : 10) + i;
      return `${m > 12 ? fy + 1 : fy}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`;
    });
    const amount = inp.months === 12 ? d.annual : Math.floor((d.annual * inp.months) / 12 / 10) * 10;
    const src = (table: string, id: number, source: string, exchange_id?: number) => ({ table, id, source, ...(exchange_id ? { exchange_id } : {}) });
    const n = people.indexOf(p);
    const lines: { label: string; text: string }[] = [
      { label: '賦課基準日', text: inp.months === 12 ? `${base} (4月1日)` : `${base} (年度途中の資格取得日)` },
      {
        label: '世帯',
        text: inp.spouse
          ? `基準日の世帯員 1人 (本人を除く): 課税 ${inp.spouse.taxed ? 1 : 0}人, 非課税 ${inp.spouse.taxed === false ? 1 : 0}人${inp.spouse.taxed === null ? ', 課税情報なし 1人' : ''}`
          : '基準日の世帯員 0人 (本人を除く): 課税 0人, 非課税 0人',
      },
    ];
    if (inp.tax) {
      lines.push(
        { label: '入力: 合計所得金額', text: `${commas(inp.tax.total_income)}円` },
        { label: '入力: 長期・短期譲渡所得の特別控除', text: '0円' },
        { label: '入力: 公的年金等に係る雑所得', text: `${commas(inp.tax.pension_misc_income)}円` },
        { label: '入力: 給与所得', text: '0円' },
        { label: '入力: 課税年金収入額', text: `${commas(inp.tax.taxable_pension_income)}円` },
      );
    } else {
      lines.push({ label: '入力: 所得', text: '課税資料なし (未申告): 本人非課税・所得0円として賦課し、申告があれば更正します' });
    }
    if (inp.welfare) lines.push({ label: '入力: 生活保護等', text: '生活保護 受給中 (基準日)' });
    if (inp.oldAge) lines.push({ label: '入力: 老齢福祉年金', text: '受給中 (基準日)' });
    lines.push({ label: '課税状況', text: STATUS_TEXT[d.status] }, { label: '所得指標', text: d.measureLine });
    const rule = d.stage.welfare && inp.welfare ? '生活保護・中国残留邦人等支援給付の受給者' : d.stage.alternatives.map(describe).join(' / ');
    lines.push({ label: '該当段階', text: `${d.stage.label}: ${rule}` });
    if (d.stage.note) lines.push({ label: '根拠', text: d.stage.note });
    const ratioDecimal = (d.ratio[0] / d.ratio[1]).toString();
    lines.push({ label: '年額', text: `基準額 ${commas(v.base_amount)}円 × ${ratioDecimal} = ${commas((v.base_amount * d.ratio[0]) / d.ratio[1])}円 → 10円未満切捨て ${commas(d.annual)}円` });
    lines.push({ label: '月数', text: `${inp.months}か月 (${months[0]}〜${months[months.length - 1]})` });
    if (inp.months < 12) lines.push({ label: '月割', text: `${commas(d.annual)}円 × ${inp.months} / 12 → 10円未満切捨て ${commas(amount)}円` });
    lines.push({ label: '保険料', text: `${fy}年度 ${commas(amount)}円` });
    return {
      base_date: base,
      stage: d.stage.number,
      stage_label: d.stage.label,
      ratio: `${d.ratio[0]}/${d.ratio[1]}`,
      reduced: v.apply_reduced_ratio && !!d.stage.reduced_ratio,
      annual_amount: d.annual,
      months: inp.months,
      amount,
      table: { name: t.rules.name, sha256: t.sha256, effective_from: v.effective_from },
      inputs: {
        base_date: base, fiscal_year: fy, income_year: fy - 1,
        periods: [{ acquired_on: inp.months === 12 ? '2015-04-01' : base, lost_on: null, acquisition_reason: inp.months === 12 ? 'move_in' : 'reaching_65', loss_reason: null }],
        months,
        tax: inp.tax ? { ...inp.tax, salary_income: 0, land_sale_special_deduction: 0, from: src('tax_income', 1000 + n, n % 4 === 0 ? 'exchange' : 'tax_office', n % 4 === 0 ? 300 + n : 40) } : null,
        ...(inp.welfare ? { public_assistance: { kind: 'welfare', from: src('public_assistance', 50 + n, 'fukushi') } } : {}),
        ...(inp.oldAge ? { old_age_welfare_pension: { from: src('pension', 70 + n, 'exchange', 900 + n) } } : {}),
        household_id: p.household_id,
        household_members: inp.spouse ? [{ person_id: inp.spouse.person_id, taxed: inp.spouse.taxed, ...(inp.spouse.taxed === null ? {} : { from: src('tax_income', 1000 + people.findIndex((q) => q.person_id === inp.spouse!.person_id), 'tax_office', 40) }) }] : [],
      },
      explanation: lines,
    };
  };

  const keyOf = (c: NonNullable<ReturnType<typeof compute>>) => JSON.stringify([c.stage, c.ratio, c.annual_amount, c.months, c.amount, c.base_date, c.explanation]);

  /** Assess one person for a year: a new revision only when the result changes (as the server). */
  const assess = (p: MockPerson, fy: number, cause: string, actor: string, runId: number | null, at = nowIso()): { outcome: string; row: Row | null } => {
    const c = compute(p, fy);
    const current = rows.find((r) => r.person_id === p.person_id && r.fiscal_year === fy && r.is_current) ?? null;
    if (!c) return { outcome: 'not_insured', row: current };
    if (current && keyOf(c) === JSON.stringify([current.stage, current.ratio, current.annual_amount, current.months, current.amount, current.base_date, current.explanation]))
      return { outcome: 'unchanged', row: current };
    if (current) current.is_current = false;
    const previous = current?.amount ?? 0;
    const row: Row = {
      assessment_id: nextId++, person_id: p.person_id, fiscal_year: fy, revision: current ? current.revision + 1 : 0, is_current: true,
      insured_no: p.insured_no ?? '', ...c, previous_amount: previous, difference: c.amount - previous,
      cause, batch_run_id: runId, assessed_at: at, assessed_by: actor,
    };
    rows.push(row);
    return { outcome: current ? 'revised' : 'created', row };
  };

  // The previous year, assessed at start; every eleventh person then had an income 更正.
  const previousFy = fiscalYearNow() - 1;
  const seedRun: Run = {
    batch_run_id: nextRun++, job: 'premium_annual', run_key: String(previousFy), status: 'done', done: 0, total: 0,
    started_at: `${previousFy}-07-10T00:30:00Z`, finished_at: `${previousFy}-07-10T00:31:12Z`, started_by: 'demo', startedMs: 0,
  };
  runs.unshift(seedRun);
  insured().forEach((p, i) => {
    assess(p, previousFy, 'annual', 'job:premium', seedRun.batch_run_id, `${previousFy}-07-10T00:31:00Z`);
    if (i % 11 === 5) {
      incomeRevised.add(p.person_id);
      assess(p, previousFy, 'income', 'job:premium_revisions', null, `${previousFy}-09-02T01:00:00Z`);
    }
  });
  seedRun.done = seedRun.total = insured().length;
  // Three corrections still waiting for 異動賦課.
  insured()
    .filter((_, i) => i % 11 === 7)
    .slice(0, 3)
    .forEach((p) => queue.push({ index: people.indexOf(p), fy: previousFy }));

  /** Work running 本算定 runs by the clock: PER_SECOND persons a second, in person order. */
  const pump = () => {
    for (const run of runs.filter((r) => r.status === 'running' && r.job === 'premium_annual')) {
      const fy = Number(run.run_key);
      const list = insured();
      const target = Math.min(list.length, Math.floor(((Date.now() - run.startedMs) / 1000) * PER_SECOND));
      for (let i = run.done; i < target; i++) assess(list[i], fy, 'annual', 'job:premium', run.batch_run_id);
      run.done = Math.max(run.done, target);
      run.total = list.length;
      if (run.done >= run.total) Object.assign(run, { status: 'done', finished_at: nowIso() });
    }
  };

  const runView = ({ startedMs: _s, ...r }: Run) => r;

  // FK-11 print runs: every current assessment of the year not noticed yet, done two seconds later.
  const noticed = new Set<number>(); // assessment ids
  const noticeRuns: { batch_run_id: number; fiscal_year: number; status: string; notices: number; files: number; started_at: string; finished_at: string; started_by: string; startedMs: number }[] = [];
  const pumpNotices = () => {
    for (const r of noticeRuns.filter((x) => x.status === 'running' && Date.now() - x.startedMs >= 2000))
      Object.assign(r, { status: 'done', files: Math.ceil(r.notices / 5000), finished_at: nowIso() });
  };

  /** The person's 徴収 as GET /persons/{id}/premium/collection answers it, from the current rows. */
  const collectionOf = (p: MockPerson) => {
    const n = people.indexOf(p);
    const special = n % 3 !== 0;
    const thisMonth = nowIso().slice(0, 7);
    const years = rows
      .filter((r) => r.person_id === p.person_id && r.is_current)
      .sort((a, b) => a.fiscal_year - b.fiscal_year)
      .map((a) => {
        const fy = a.fiscal_year;
        const at = `${fy}-05-20T01:00:00Z`;
        const instalment = (i: number, method: string, number: number, due_month: string, amount: number) => {
          const done = method === 'special' && due_month < thisMonth;
          return {
            instalment_id: n * 100 + i, method, number, due_month, amount, status: done ? 'collected' : method === 'special' ? 'accepted' : 'planned',
            collected_amount: done ? amount : null, reason_code: null, plan_revision: 1, request_id: method === 'special' ? n * 10 + fy : null, created_at: at, updated_at: at,
          };
        };
        let instalments;
        let explanation: string[];
        if (special) {
          const months = [`${fy}-04`, `${fy}-06`, `${fy}-08`, `${fy}-10`, `${fy}-12`, `${fy + 1}-02`];
          const kari = Math.floor(a.amount / 6 / 100) * 100;
          const hon = Math.floor((a.amount - 3 * kari) / 3 / 100) * 100;
          const amounts = [kari, kari, kari, a.amount - 3 * kari - 2 * hon, hon, hon];
          instalments = months.map((m, i) => instalment(i, 'special', i + 1, m, amounts[i]));
          explanation = [
            `特別徴収 (継続): 前年度2月の額 ${commas(kari)}円を4・6・8月に仮徴収 (法140条1項)`,
            `本徴収: (${commas(a.amount)}円 − 仮徴収 ${commas(3 * kari)}円) ÷ 3 = 各 ${commas(hon)}円 (100円未満切捨て、端数は10月)`,
          ];
        } else {
          const months = [6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => `${m < 4 ? fy + 1 : fy}-${String(m).padStart(2, '0')}`);
          const each = Math.floor(a.amount / 10 / 100) * 100;
          instalments = months.map((m, i) => instalment(i, 'ordinary', i + 1, m, i === 0 ? a.amount - 9 * each : each));
          explanation = [`普通徴収: 年金が特別徴収の対象でないため納付書で10期 (6月〜3月)`, `各期 ${commas(each)}円 (100円未満切捨て)、端数は第1期`];
        }
        const specialRows = instalments.filter((i) => i.method === 'special');
        return {
          fiscal_year: fy,
          assessment: { assessment_id: a.assessment_id, revision: a.revision, amount: a.amount },
          deduction_status: !special ? 'none' : specialRows.some((i) => i.status === 'collected') ? 'deducting' : 'accepted',
          instalments,
          plans: [{ plan_revision: 1, assessment_id: a.assessment_id, amount: a.amount, cause: 'annual', explanation, batch_run_id: null, planned_at: at, planned_by: 'job:premium' }],
          requests: special
            ? [{
                request_id: n * 10 + fy, exchange_id: 700 + fy - 2000, pension_insurer_code: '0001', basic_pension_no: `1234-${String(500000 + n)}`, pension_code: '1150',
                request_kind: 'continuing', start_month: `${fy}-04`, amounts: Object.fromEntries(specialRows.map((i) => [i.due_month, i.amount])),
                status: 'accepted', reason_code: null, result_exchange_id: 720 + fy - 2000, requested_at: `${fy}-05-25T02:00:00Z`, answered_at: `${fy}-06-10T02:00:00Z`,
              }]
            : [],
          results: specialRows
            .filter((i) => i.status === 'collected')
            .map((i) => ({ result_id: i.instalment_id, exchange_id: 730 + fy - 2000, deduction_month: i.due_month, collected: true, reason_code: '00', amount: i.amount, received_at: `${i.due_month}-25T03:00:00Z` })),
        };
      });
    const targets = special
      ? years.map((y) => ({
          target_id: n * 10 + y.fiscal_year, exchange_id: 650 + y.fiscal_year - 2000, record_no: (n % 40) + 1, fiscal_year: y.fiscal_year, pension_insurer_code: '0001',
          basic_pension_no: `1234-${String(500000 + n)}`, pension_code: '1150', pension_kind: '老齢基礎年金', annual_pension_amount: inputsOf(p).tax?.public_pension_income ?? 780000,
          capture_month: `${y.fiscal_year - 1}-04`, start_month: `${y.fiscal_year}-04`, received_at: `${y.fiscal_year - 1}-05-12T01:00:00Z`,
        }))
      : [];
    return { person_id: p.person_id, years, targets };
  };

  const simulate = (fy: number, table: Record<string, unknown>): Reply => {
    const bad = (path: string, what: string) => err(400, 'invalid_input', `table: ${path}: ${what}`, path);
    if (typeof table.name !== 'string' || !table.name) return bad('name', 'is required');
    const versions = table.versions;
    if (!Array.isArray(versions) || versions.length === 0) return bad('versions', 'must be a non-empty array');
    const v0 = versions[0] as Partial<RuleVersion>;
    if (typeof v0.base_amount !== 'number' || v0.base_amount <= 0) return bad('versions[0].base_amount', 'must be a positive integer');
    if (!Array.isArray(v0.stages) || v0.stages.length === 0) return bad('versions[0].stages', 'must be a non-empty array');
    for (const [i, s] of v0.stages.entries()) {
      if (s.number !== i + 1) return bad(`versions[0].stages[${i}].number`, `must be ${i + 1} (consecutive from 1)`);
      if (typeof s.ratio !== 'string' || !ratioParts(s.ratio)) return bad(`versions[0].stages[${i}].ratio`, 'must be a decimal such as 0.455');
      if (ratioParts(s.ratio)![0] === 0) return bad(`versions[0].stages[${i}].ratio`, 'must be greater than 0');
      if (!Array.isArray(s.alternatives)) return bad(`versions[0].stages[${i}].alternatives`, 'must be an array');
    }
    const current = tableFor(fy);
    const cv = current && versionFor(current, fy);
    if (!current || !cv) return err(409, 'conflict', `no premium table covers fiscal year ${fy}`, 'fiscal_year');
    const tally = (name: string, v: RuleVersion) => {
      const stages = v.stages.map((s) => {
        const r = ratioParts(v.apply_reduced_ratio && s.reduced_ratio ? s.reduced_ratio : s.ratio) ?? [1, 1];
        return { stage: s.number, label: s.label, ratio: `${r[0]}/${r[1]}`, annual_amount: Math.floor((v.base_amount * r[0]) / r[1] / 10) * 10, persons: 0, revenue: 0 };
      });
      for (const p of insured()) {
        const inp = inputsOf(p);
        const d = decide(v, inp);
        const s = stages[d.stage.number - 1];
        s.persons++;
        s.revenue += inp.months === 12 ? d.annual : Math.floor((d.annual * inp.months) / 12 / 10) * 10;
      }
      return { name, effective_from: v.effective_from, base_amount: v.base_amount, stages, persons: stages.reduce((a, s) => a + s.persons, 0), revenue: stages.reduce((a, s) => a + s.revenue, 0) };
    };
    return ok({ fiscal_year: fy, current: tally(current.rules.name, cv), proposed: tally(table.name, v0 as RuleVersion) });
  };

  return async (method: string, path: string, params: URLSearchParams, body: () => Promise<Record<string, unknown>>, user: { user_id: string; roles: string[] }): Promise<Reply | undefined> => {
    const writer = user.roles.some((r) => WRITERS.has(r));
    const reader = user.roles.some((r) => READERS.has(r));
    let m: RegExpExecArray | null;
    pump();
    pumpNotices();

    if ((m = /^\/persons\/([^/]+)\/premium\/assessments$/.exec(path))) {
      const p = people.find((x) => x.person_id === decodeURIComponent(m![1]));
      if (method === 'GET') {
        if (!reader) return err(403, 'forbidden', 'この操作を行う権限がありません');
        if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
        const list = rows.filter((r) => r.person_id === p.person_id).sort((a, b) => b.fiscal_year - a.fiscal_year || b.revision - a.revision);
        return ok({ person_id: p.person_id, assessments: list });
      }
      if (method === 'POST') {
        if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
        if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
        const b = await body();
        const fy = b.fiscal_year === undefined ? fiscalYearNow() : b.fiscal_year;
        if (typeof fy !== 'number' || !Number.isInteger(fy)) return err(400, 'invalid_input', 'fiscal_year must be an integer year', 'fiscal_year');
        if (!tableFor(fy)) return err(409, 'conflict', `no premium table covers fiscal year ${fy} (config/rules/premium)`, 'fiscal_year');
        if (p.insured_no === null) return ok({ outcome: 'not_insured', assessment: null });
        const r = assess(p, fy, 'staff', user.user_id, null);
        return ok({ outcome: r.outcome, assessment: r.row });
      }
    }
    if ((m = /^\/persons\/([^/]+)\/premium\/collection$/.exec(path)) && method === 'GET') {
      if (!reader) return err(403, 'forbidden', 'この操作を行う権限がありません');
      const p = people.find((x) => x.person_id === decodeURIComponent(m![1]));
      if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      return ok(collectionOf(p));
    }
    if ((m = /^\/persons\/([^/]+)\/premium\/notice\.pdf$/.exec(path)) && method === 'GET') {
      if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
      const fy = Number(params.get('fiscal_year') ?? fiscalYearNow());
      const a = rows.find((r) => r.person_id === decodeURIComponent(m![1]) && r.fiscal_year === fy && r.is_current);
      if (!a) return err(404, 'not_found', `no assessment of fiscal year ${fy} for this person`, 'fiscal_year');
      return { status: 200, text: tinyPdf(`premium-notice-${a.person_id}-${fy}`), headers: { 'Content-Type': 'application/pdf' } };
    }
    if (path === '/premium/notice-runs') {
      if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
      if (method === 'GET') return ok({ runs: noticeRuns.map(({ startedMs: _s, ...r }) => r) });
      if (method === 'POST') {
        const b = await body();
        const fy = b.fiscal_year === undefined ? fiscalYearNow() : b.fiscal_year;
        if (typeof fy !== 'number' || !Number.isInteger(fy)) return err(400, 'invalid_input', 'fiscal_year must be an integer year', 'fiscal_year');
        const open = noticeRuns.find((r) => r.fiscal_year === fy && r.status === 'running');
        if (open) return ok({ batch_run_id: open.batch_run_id, status: open.status }, 202);
        const waiting = rows.filter((r) => r.fiscal_year === fy && r.is_current && !noticed.has(r.assessment_id));
        if (waiting.length === 0) return ok({ batch_run_id: 0, status: 'nothing_to_notice' });
        waiting.forEach((r) => noticed.add(r.assessment_id));
        const run = { batch_run_id: nextRun++, fiscal_year: fy, status: 'running', notices: waiting.length, files: 0, started_at: nowIso(), finished_at: '', started_by: user.user_id, startedMs: Date.now() };
        noticeRuns.unshift(run);
        return ok({ batch_run_id: run.batch_run_id, status: run.status }, 202);
      }
    }
    if ((m = /^\/premium\/notice-runs\/(\d+)\/files\/(\d+)$/.exec(path)) && method === 'GET') {
      if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
      const r = noticeRuns.find((x) => x.batch_run_id === Number(m![1]));
      if (!r || Number(m[2]) < 1 || Number(m[2]) > r.files) return err(404, 'not_found', 'no such print file', 'file_no');
      return { status: 200, text: tinyPdf(`premium-notices-${r.batch_run_id}-${m[2]}`), headers: { 'Content-Type': 'application/pdf' } };
    }
    if (path === '/premium/table' && method === 'GET') {
      if (!reader) return err(403, 'forbidden', 'この操作を行う権限がありません');
      const q = params.get('fiscal_year');
      if (q && !/^\d{4}$/.test(q)) return err(400, 'invalid_input', 'fiscal_year must be a year such as 2026', 'fiscal_year');
      const fy = q ? Number(q) : fiscalYearNow();
      const t = tableFor(fy);
      const v = t && versionFor(t, fy);
      if (!t || !v) return err(404, 'not_found', `no premium table covers fiscal year ${fy}`, 'fiscal_year');
      return ok({
        fiscal_year: fy, name: t.rules.name, plan_period: { first_fiscal_year: t.rules.first_fiscal_year, last_fiscal_year: t.rules.last_fiscal_year },
        file: t.file, sha256: t.sha256, effective_from: v.effective_from, base_amount: v.base_amount, apply_reduced_ratio: v.apply_reduced_ratio,
        stages: v.stages.map((s) => {
          const applied = v.apply_reduced_ratio && s.reduced_ratio ? s.reduced_ratio : s.ratio;
          const r = ratioParts(applied) ?? [1, 1];
          return {
            stage: s.number, label: s.label, welfare: !!s.welfare,
            alternatives: s.alternatives.map((a) => (a.old_age_welfare_pension ? { status: a.status, old_age_welfare_pension: true } : { status: a.status, measure: a.measure, interval: describe(a) })),
            ratio: s.ratio, reduced_ratio: s.reduced_ratio ?? null, applied_ratio: applied, annual_amount: Math.floor((v.base_amount * r[0]) / r[1] / 10) * 10,
          };
        }),
      });
    }
    if (path === '/premium/runs') {
      if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
      if (method === 'GET') return ok({ runs: runs.map(runView) });
      if (method === 'POST') {
        const b = await body();
        if (b.job === 'annual') {
          const fy = b.fiscal_year === undefined ? fiscalYearNow() : b.fiscal_year;
          if (typeof fy !== 'number' || !Number.isInteger(fy)) return err(400, 'invalid_input', 'fiscal_year must be an integer year', 'fiscal_year');
          if (!tableFor(fy)) return err(409, 'conflict', `no premium table covers fiscal year ${fy} (config/rules/premium)`, 'fiscal_year');
          const existing = runs.find((r) => r.job === 'premium_annual' && r.run_key === String(fy));
          if (existing) return ok(runView(existing), 202);
          const run: Run = {
            batch_run_id: nextRun++, job: 'premium_annual', run_key: String(fy), status: 'running', done: 0, total: insured().length,
            started_at: nowIso(), finished_at: '', started_by: user.user_id, startedMs: Date.now(),
          };
          runs.unshift(run);
          return ok(runView(run), 202);
        }
        if (b.job === 'revisions') {
          if (queue.length === 0)
            return ok({ batch_run_id: 0, job: 'premium_revision', run_key: '', status: 'nothing_queued', done: 0, total: 0, started_at: '', finished_at: '', started_by: user.user_id, created: 0, revised: 0, unchanged: 0 });
          const at = nowIso();
          const run: Run = { batch_run_id: nextRun++, job: 'premium_revision', run_key: at, status: 'done', done: 0, total: queue.length, started_at: at, finished_at: at, started_by: user.user_id, startedMs: 0 };
          const counts = { created: 0, revised: 0, unchanged: 0 };
          for (const { index, fy } of queue.splice(0)) {
            incomeRevised.add(people[index].person_id);
            const r = assess(people[index], fy, 'income', user.user_id, run.batch_run_id, at);
            if (r.outcome === 'created' || r.outcome === 'revised' || r.outcome === 'unchanged') counts[r.outcome]++;
            run.done++;
          }
          runs.unshift(run);
          return ok({ ...runView(run), ...counts });
        }
        return err(400, 'invalid_input', 'job must be annual or revisions', 'job');
      }
    }
    if (path === '/premium/simulations' && method === 'POST') {
      if (!writer) return err(403, 'forbidden', 'この操作を行う権限がありません');
      const b = await body();
      const fy = b.fiscal_year === undefined ? fiscalYearNow() : b.fiscal_year;
      if (typeof fy !== 'number' || !Number.isInteger(fy)) return err(400, 'invalid_input', 'fiscal_year must be an integer year', 'fiscal_year');
      if (!b.table || typeof b.table !== 'object' || Array.isArray(b.table)) return err(400, 'invalid_input', "table must be the proposed rule file's JSON object", 'table');
      return simulate(fy, b.table as Record<string, unknown>);
    }
    return undefined;
  };
}
