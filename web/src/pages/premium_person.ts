// 個人ページ 保険料 (賦課): per fiscal year the current assessment (段階, 年額, 月数, 保険料, 賦課基準日,
// the table), its explanation in reading order — what staff read out to answer "why this stage" —,
// the inputs with the row and exchange each came from, and every revision with its cause and the
// difference. 賦課担当 and 監督者 also get 「再計算」 (POST assess): a new revision only when the
// result changes, else 「変更なし」. Under each year its 徴収 (premium_collection.ts) when the server
// has the 特別徴収 routes. docs/api-premium.md; a 403 leaves the rest of the page as it is.
import '../premium.css';
import { errorBanner, h, mount, type Child } from '../dom';
import { eligibilityApi, fetchPdf } from '../api_eligibility';
import { codeLabel } from '../eligibility';
import type { EligibilityCodeLists } from '../eligibility_types';
import { formatTimestamp, toWareki } from '../format';
import {
  assistanceKindLabel,
  causeLabel,
  fiscalYearChoices,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearOption,
  formatDifference,
  formatYen,
  inputSourceText,
  memberTaxLabel,
  monthsText,
  outcomeText,
  ratioText,
  revisionLabel,
} from '../premium';
import type { Assessment, AssessmentInputs, ExplanationLine, PersonCollection } from '../premium_types';
import { ApiError } from '../api';
import { premiumApi, premiumNoticeUrl } from '../api_premium';
import { personHash } from '../router';
import { failureMessage, type PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { labelledSelect } from './inquiry_parts';
import { collectionYearView } from './premium_collection';

/** Who may assess (POST …/premium/assessments): the server's premium_workers. */
export function canAssess(roles: readonly string[]): boolean {
  return roles.includes('premium_staff') || roles.includes('supervisor');
}

export function renderPremiumSection(ctx: PageContext, personId: string, roles: readonly string[]): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const outcome = h('div', { class: 'banner-slot', id: 'premium-outcome' });
  const body = h('div', { id: 'premium-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const actions = h('div', { id: 'premium-actions' });
  let codes: EligibilityCodeLists | null = null;

  const load = async (): Promise<void> => {
    try {
      // Reason labels of the periods in the inputs; the section works without them.
      const [list, lists, collection] = await Promise.all([
        premiumApi.assessments(personId),
        codes ?? eligibilityApi.codeLists().catch(() => null),
        collectionOf(personId),
      ]);
      if (!ctx.isCurrent()) return;
      codes = lists;
      mount(banner);
      if (collection instanceof Error) {
        const message = failureMessage(ctx, collection);
        if (message !== null) mount(banner, errorBanner(`徴収: ${message}`));
      }
      mount(body, assessmentsView(list.assessments, codes, collection instanceof Error ? null : collection));
      if (canAssess(roles) && !actions.hasChildNodes()) mount(actions, assessForm(ctx, personId, list.assessments, outcome, () => void load()));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(`保険料: ${message}`));
      mount(body);
    }
  };
  void load();
  return h(
    'section',
    { class: 'panel', id: 'premium' },
    h(
      'h2',
      {},
      '保険料 (賦課)',
      h('span', { class: 'sub' }, '第1号被保険者・年度ごと'),
      h('button', { type: 'button', class: 'btn btn-small', id: 'premium-refresh', onclick: () => void load() }, '更新'),
    ),
    banner,
    actions,
    outcome,
    body,
  );
}

/**
 * The person's 徴収, or null when this server has no such route (404: the 特別徴収 routes are not
 * there) — then the section shows nothing of it; any other failure is returned for the banner.
 */
async function collectionOf(personId: string): Promise<PersonCollection | null | Error> {
  try {
    return await premiumApi.collection(personId);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** 年度 + 「再計算」: assess now; the answer says what happened, then the section is read again. */
function assessForm(ctx: PageContext, personId: string, assessments: Assessment[], outcome: HTMLElement, changed: () => void): HTMLElement {
  const current = fiscalYearOf();
  const years = [...new Set([...fiscalYearChoices(current).filter((y) => y <= current), ...assessments.map((a) => a.fiscal_year)])].sort((a, b) => b - a);
  const fy = labelledSelect('premium-fiscal-year', '年度', String(current), years.map((y) => [String(y), fiscalYearOption(y)]));
  const slot = h('div', { class: 'banner-slot' });
  const errors = fieldErrors(slot, { fiscal_year: fy.el });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'premium-assess' }, '再計算');
  // FK-11 at the counter: the notice of the chosen year's current assessment, fetched first so a
  // refusal (no assessment that year) is a banner, then opened in a new tab.
  const notice = h('button', { type: 'button', class: 'btn', id: 'premium-notice' }, '決定通知書 (PDF)');
  notice.addEventListener('click', async () => {
    mount(outcome);
    errors.clear();
    const year = Number(fy.el.value);
    const blob = await submitWith(ctx, notice, errors, () => fetchPdf(premiumNoticeUrl(personId, year)));
    if (!blob || !ctx.isCurrent()) return;
    const url = URL.createObjectURL(blob);
    window.open(url, '_blank', 'noopener');
    mount(outcome, infoBanner(`${fiscalYearLabel(year)}の通知書を作成しました (`, h('a', { href: url, target: '_blank', id: 'premium-notice-link' }, 'PDFを開く'), `・${Math.ceil(blob.size / 1024)} KB)`));
  });
  return h(
    'form',
    {
      class: 'action-bar premium-actions',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        mount(outcome);
        errors.clear();
        const year = Number(fy.el.value);
        const r = await submitWith(ctx, button, errors, () => premiumApi.assess(personId, year));
        if (!r || !ctx.isCurrent()) return;
        const a = r.assessment;
        mount(
          outcome,
          infoBanner(
            h('strong', { 'data-outcome': r.outcome }, `${fiscalYearLabel(year)}: ${outcomeText(r.outcome)}`),
            a ? ` — ${a.stage_label}・保険料 ${formatYen(a.amount)}・改訂 ${revisionLabel(a.revision)}` : null,
            a && r.outcome === 'revised' ? ` (差額 ${formatDifference(a.difference)})` : null,
          ),
        );
        changed();
      },
    },
    fy.wrap,
    button,
    notice,
    h('span', { class: 'muted small' }, '現在の課税・世帯・資格で算定し直します。結果が変わったときだけ新しい改訂を記録します。'),
    slot,
  );
}

function assessmentsView(all: Assessment[], codes: EligibilityCodeLists | null, collection: PersonCollection | null): HTMLElement {
  if (all.length === 0) return h('div', { class: 'empty small-empty', id: 'premium-empty' }, '賦課の記録はありません');
  const years = [...new Set(all.map((a) => a.fiscal_year))].sort((a, b) => b - a);
  return h(
    'div',
    {},
    years.map((fy, i) => {
      const revisions = all.filter((a) => a.fiscal_year === fy).sort((a, b) => b.revision - a.revision);
      const current = revisions.find((a) => a.is_current) ?? revisions[0];
      const year = collection?.years.find((y) => y.fiscal_year === fy);
      const collectionPart = year ? collectionYearView(year, collection!.targets.filter((t) => t.fiscal_year === fy)) : null;
      const view = yearView(fy, current, revisions, codes, collectionPart);
      // The newest year open; earlier ones folded to one line each, opened on a click.
      if (i === 0) return view;
      return h(
        'details',
        { class: 'premium-older', 'data-fiscal-year': fy },
        h('summary', {}, h('strong', {}, fiscalYearLabel(fy)), ` ${current.stage_label}・保険料 ${formatYen(current.amount)}・改訂 ${revisionLabel(current.revision)}・${causeLabel(current.cause)}`),
        view,
      );
    }),
  );
}

const th = (cols: string[]) => h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, c))));
const dateText = (iso: string | null | undefined): Child => (iso ? [toWareki(iso), h('span', { class: 'iso' }, iso)] : '');

function yearView(fy: number, a: Assessment, revisions: Assessment[], codes: EligibilityCodeLists | null, collection: HTMLElement | null): HTMLElement {
  const fact = (key: string, label: string, value: Child) => h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, value));
  return h(
    'div',
    { class: 'premium-year', 'data-fiscal-year': fy, id: `premium-${fy}` },
    h('h3', { class: 'premium-year-title' }, fiscalYearLabel(fy), h('span', { class: 'sub' }, `${fy}年度・現在 改訂 ${revisionLabel(a.revision)}・${causeLabel(a.cause)}`)),
    h(
      'div',
      { class: 'premium-head' },
      h(
        'div',
        { class: 'premium-stage', 'data-stage': a.stage },
        h('div', { class: 'stage-label', 'data-testid': 'premium-stage' }, a.stage_label),
        h('div', { class: 'stage-ratio' }, a.stage > 0 ? `割合 ${ratioText(a.ratio)}${a.reduced ? ' (公費軽減後)' : ''}` : ''),
      ),
      h(
        'dl',
        { class: 'facts premium-facts' },
        fact('amount', '保険料', h('strong', { class: 'premium-amount' }, formatYen(a.amount))),
        fact('annual_amount', '年額', formatYen(a.annual_amount)),
        fact('months', '月数', [`${a.months}か月`, a.inputs.months.length ? h('span', { class: 'iso' }, monthsText(a.inputs.months)) : null]),
        fact('base_date', '賦課基準日', dateText(a.base_date)),
        fact('table', '段階表', [a.table.name, h('span', { class: 'iso' }, `${a.table.effective_from}〜`)]),
        fact('assessed', '賦課日時', [formatTimestamp(a.assessed_at), h('span', { class: 'iso' }, a.assessed_by)]),
      ),
    ),
    explanationList(a.explanation, `premium-explanation-${fy}`),
    h('h4', {}, '算定に用いた情報 (出所)'),
    inputsTable(a.inputs, codes, `premium-inputs-${fy}`),
    h('h4', {}, '改訂履歴', h('span', { class: 'sub' }, `${revisions.length}件・新しい順`)),
    historyTable(revisions, `premium-history-${fy}`),
    collection,
  );
}

// Lines staff read out most: the stage that matched and the amount.
const KEY_LABELS = new Set(['該当段階', '保険料', '課税状況']);

/** The explanation in reading order, large enough to read out on the phone. */
export function explanationList(lines: ExplanationLine[], id: string): HTMLElement {
  return h(
    'div',
    { class: 'explanation-box' },
    h('div', { class: 'explanation-title' }, '算定の説明', h('span', { class: 'sub' }, '上から順に読むと、段階と保険料の理由が分かります')),
    h(
      'ol',
      { class: 'explanation', id },
      lines.map((l) =>
        h('li', { 'data-label': l.label, class: KEY_LABELS.has(l.label) ? 'key' : null }, h('span', { class: 'ex-label' }, l.label), h('span', { class: 'ex-text' }, l.text)),
      ),
    ),
  );
}

function inputsTable(inputs: AssessmentInputs, codes: EligibilityCodeLists | null, id: string): HTMLElement {
  const rows: [string, string, Child, Child][] = [];
  const t = inputs.tax;
  if (t) {
    rows.push([
      'tax',
      `本人の課税 (${inputs.income_year}年分)`,
      [
        h('strong', {}, t.taxed ? '課税' : '非課税'),
        h(
          'div',
          { class: 'small' },
          `合計所得金額 ${formatYen(t.total_income)}・公的年金等収入 ${formatYen(t.public_pension_income)}・課税年金収入額 ${formatYen(t.taxable_pension_income)}・` +
            `公的年金等に係る雑所得 ${formatYen(t.pension_misc_income)}・給与所得 ${formatYen(t.salary_income)}・譲渡所得の特別控除 ${formatYen(t.land_sale_special_deduction)}`,
        ),
      ],
      inputSourceText(t.from),
    ]);
  } else {
    rows.push(['tax', `本人の課税 (${inputs.income_year}年分)`, h('span', { class: 'note' }, '課税資料なし (未申告)'), '—']);
  }
  if (inputs.public_assistance)
    rows.push(['public_assistance', '生活保護等', assistanceKindLabel(inputs.public_assistance.kind), inputSourceText(inputs.public_assistance.from)]);
  if (inputs.old_age_welfare_pension) rows.push(['old_age_welfare_pension', '老齢福祉年金', '受給', inputSourceText(inputs.old_age_welfare_pension.from)]);
  rows.push(['household', '世帯', inputs.household_id ? ['世帯番号 ', h('span', { class: 'mono' }, inputs.household_id), `・世帯員 ${inputs.household_members.length}人 (本人を除く)`] : '—', '住基 (基準日の世帯)']);
  for (const m of inputs.household_members)
    rows.push([
      'member',
      '世帯員',
      [h('a', { href: personHash(m.person_id), class: 'mono' }, m.person_id), ' ', h('span', { class: m.taxed === null ? 'note' : m.taxed ? 'taxed' : 'untaxed' }, memberTaxLabel(m.taxed))],
      inputSourceText(m.from) || '—',
    ]);
  for (const p of inputs.periods)
    rows.push([
      'period',
      '資格期間 (第1号)',
      [
        toWareki(p.acquired_on),
        ` 取得 (${codeLabel(codes?.acquisition_reasons, p.acquisition_reason)})`,
        p.lost_on ? `〜${toWareki(p.lost_on)} 喪失 (${codeLabel(codes?.loss_reasons, p.loss_reason)})` : '〜 継続中',
      ],
      '資格 (被保険者台帳)',
    ]);
  return h(
    'table',
    { class: 'grid premium-inputs', id },
    th(['項目', '内容', '出所']),
    h('tbody', {}, rows.map(([key, label, value, source]) => h('tr', { 'data-input': key }, h('td', { class: 'nowrap' }, label), h('td', {}, value), h('td', { class: 'small nowrap' }, source)))),
  );
}

function historyTable(revisions: Assessment[], id: string): HTMLElement {
  const cols = ['改訂', '原因', '段階', '前の保険料', '新しい保険料', '差額', '賦課日時', '賦課者', 'バッチ', ''];
  return h(
    'table',
    { class: 'grid premium-history', id },
    th(cols),
    h(
      'tbody',
      {},
      revisions.map((r) => {
        // Each revision's own explanation, opened under its row (the current one is shown above).
        const detail = h(
          'tr',
          { class: 'explanation-row', hidden: true },
          h('td', { colspan: cols.length }, explanationList(r.explanation, `premium-explanation-${r.fiscal_year}-r${r.revision}`)),
        );
        const toggle = h('button', { type: 'button', class: 'btn btn-small', 'aria-expanded': 'false' }, '説明');
        toggle.addEventListener('click', () => {
          detail.hidden = !detail.hidden;
          toggle.setAttribute('aria-expanded', String(!detail.hidden));
          toggle.textContent = detail.hidden ? '説明' : '閉じる';
        });
        return [
          h(
            'tr',
            { 'data-revision': r.revision, 'data-cause': r.cause, class: r.is_current ? 'current' : null },
            h('td', { class: 'nowrap' }, revisionLabel(r.revision), r.is_current ? h('span', { class: 'badge badge-implemented current-badge' }, '現在') : null),
            h('td', { class: 'nowrap' }, causeLabel(r.cause)),
            h('td', { class: 'nowrap' }, r.stage_label),
            h('td', { class: 'num' }, r.revision === 0 ? h('span', { class: 'muted' }, '—') : formatYen(r.previous_amount)),
            h('td', { class: 'num' }, formatYen(r.amount)),
            r.revision === 0
              ? h('td', { class: 'num muted' }, '—')
              : h('td', { class: `num ${r.difference > 0 ? 'diff-up' : r.difference < 0 ? 'diff-down' : ''}` }, formatDifference(r.difference)),
            h('td', { class: 'nowrap' }, formatTimestamp(r.assessed_at)),
            h('td', { class: 'mono small' }, r.assessed_by),
            h('td', { class: 'mono small' }, r.batch_run_id === null ? '' : `#${r.batch_run_id}`),
            h('td', {}, toggle),
          ),
          detail,
        ];
      }),
    ),
  );
}
