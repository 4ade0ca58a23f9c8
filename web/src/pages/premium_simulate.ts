// 保険料 試算 (#/premium/simulate): what-if for the next 事業計画. A proposed rule file
// (docs/premium-table.md) is read from disk in the browser and sent with a fiscal year; the server
// assesses that year's category-1 population under it and under the table in force, writing
// nothing, and the two are shown side by side per stage: 人数, 年額, 収入, with totals and the
// difference. A table the server refuses is shown with the JSON path it names.
import '../premium.css';
import { ApiError } from '../api';
import { errorBanner, h, mount } from '../dom';
import { formatCount, toWareki } from '../format';
import {
  comparisonRows,
  fiscalYearChoices,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearOption,
  formatCountDifference,
  formatDifference,
  formatYen,
  parseTableFile,
  percentChange,
  ratioText,
} from '../premium';
import type { SimulationResult, TableTally } from '../premium_types';
import { premiumApi } from '../api_premium';
import { failureMessage, type PageContext } from './context';
import { labelledSelect } from './inquiry_parts';

export function renderPremiumSimulate(ctx: PageContext): void {
  const current = fiscalYearOf();
  const fy = labelledSelect('sim-fiscal-year', '対象年度 (人口)', String(current), fiscalYearChoices(current).map((y) => [String(y), fiscalYearOption(y)]), false);
  // The browser's own file button speaks the browser's language; a Japanese label opens it instead.
  const file = h('input', { type: 'file', id: 'sim-table-file', class: 'file-input', accept: '.json,application/json' });
  const pick = h('label', { for: 'sim-table-file', class: 'btn file-pick', id: 'sim-file-pick' }, 'ファイルを選択…');
  const fileInfo = h('div', { class: 'muted small', id: 'sim-file-info' }, '提案する段階表の JSON ファイル (config/rules/premium と同じ形式) を選んでください');
  const banner = h('div', { class: 'banner-slot', id: 'sim-errors' });
  const result = h('div', { id: 'sim-result' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary', id: 'sim-run' }, '試算する');
  let proposed: Record<string, unknown> | null = null;

  const mark = (field: 'file' | 'fiscal_year' | null) => {
    pick.classList.toggle('invalid', field === 'file');
    fy.el.classList.toggle('invalid', field === 'fiscal_year');
  };

  file.addEventListener('change', async () => {
    proposed = null;
    mount(banner);
    mount(result);
    mark(null);
    const f = file.files?.[0];
    if (!f) return mount(fileInfo, 'ファイルが選ばれていません');
    const parsed = parseTableFile(await f.text());
    if (!ctx.isCurrent()) return;
    if (!parsed.ok) {
      mount(fileInfo, f.name);
      mark('file');
      return mount(banner, errorBanner(`${f.name}: ${parsed.message}`));
    }
    proposed = parsed.value;
    const name = typeof parsed.value.name === 'string' ? parsed.value.name : '(名前なし)';
    mount(fileInfo, h('span', { class: 'mono' }, f.name), ` — ${name}`);
  });

  mount(
    ctx.main,
    h('h1', { class: 'page-title' }, '保険料 試算 (次期計画の段階表)'),
    h(
      'form',
      {
        class: 'panel',
        id: 'sim-form',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          mount(banner);
          mount(result);
          mark(null);
          if (!proposed) {
            mark('file');
            return mount(banner, errorBanner('提案する段階表のファイルを選んでください'));
          }
          const year = Number(fy.el.value);
          run.disabled = true;
          mount(result, h('p', { class: 'muted' }, `${fiscalYearLabel(year)}の第1号被保険者で試算しています…`));
          try {
            const r = await premiumApi.simulate(year, proposed);
            if (ctx.isCurrent()) mount(result, simulationView(r));
          } catch (e) {
            if (!ctx.isCurrent()) return;
            mount(result);
            const message = failureMessage(ctx, e);
            if (message === null) return;
            const field = e instanceof ApiError ? e.field : null;
            if (field === 'fiscal_year') {
              mark('fiscal_year');
              return mount(banner, errorBanner(message));
            }
            if (e instanceof ApiError && e.status === 400) {
              mark('file');
              return mount(banner, validationPanel(field, e.message));
            }
            mount(banner, errorBanner(message));
          } finally {
            run.disabled = false;
          }
        },
      },
      h(
        'p',
        { class: 'muted section-note' },
        '対象年度の第1号被保険者を、現行の段階表と提案の段階表の両方で算定し、段階ごとの人数と収入を比べます。賦課の記録は変わりません。',
      ),
      h('div', { class: 'inline-form' }, h('div', { class: 'field' }, h('span', { class: 'field-label' }, '提案の段階表'), h('div', {}, file, pick)), fy.wrap, run),
      fileInfo,
    ),
    banner,
    result,
  );
}

/** A refused table: what is wrong and where (the JSON path the server names). */
function validationPanel(field: string | null, message: string): HTMLElement {
  return h(
    'div',
    { class: 'banner error', role: 'alert', id: 'sim-validation' },
    h('div', {}, '提案の段階表に誤りがあります'),
    field ? h('div', { class: 'validation-path' }, '箇所: ', h('code', { class: 'mono', 'data-path': field }, field)) : null,
    h('div', { class: 'validation-message' }, message),
  );
}

function tallyHead(label: string, t: TableTally, id: string): HTMLElement {
  return h(
    'div',
    { class: 'sim-side', id },
    h('div', { class: 'sim-side-label' }, label),
    h('div', { class: 'sim-side-name' }, t.name),
    h('div', { class: 'small muted' }, `適用開始 ${toWareki(t.effective_from)}・基準額 ${formatYen(t.base_amount)}`),
    h('div', { class: 'sim-side-total' }, `${formatCount(t.persons)}人・収入 `, h('strong', {}, formatYen(t.revenue))),
  );
}

function simulationView(r: SimulationResult): HTMLElement {
  const rows = comparisonRows(r.current, r.proposed);
  const revenueDiff = r.proposed.revenue - r.current.revenue;
  const num = (text: string, cls = '') => h('td', { class: `num ${cls}`.trim() }, text);
  const diffClass = (n: number) => (n > 0 ? 'diff-up' : n < 0 ? 'diff-down' : '');
  return h(
    'section',
    { class: 'panel', id: 'sim-comparison' },
    h('h2', {}, `試算結果: ${fiscalYearLabel(r.fiscal_year)}の第1号被保険者`),
    h(
      'div',
      { class: 'sim-heads' },
      tallyHead('現行', r.current, 'sim-current'),
      tallyHead('提案', r.proposed, 'sim-proposed'),
      h(
        'div',
        { class: 'sim-side sim-diff', id: 'sim-difference' },
        h('div', { class: 'sim-side-label' }, '差 (提案 − 現行)'),
        h('div', { class: `sim-side-total ${diffClass(revenueDiff)}` }, '収入 ', h('strong', {}, formatDifference(revenueDiff)), ` ${percentChange(r.current.revenue, r.proposed.revenue)}`),
        h('div', { class: 'small muted' }, `人数 ${formatCountDifference(r.proposed.persons - r.current.persons)}`),
      ),
    ),
    h(
      'table',
      { class: 'grid sim-table', id: 'sim-table' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { rowspan: 2 }, '段階'), h('th', { colspan: 4, class: 'group' }, '現行'), h('th', { colspan: 4, class: 'group' }, '提案'), h('th', { colspan: 2, class: 'group' }, '差')),
        h('tr', {}, ['割合', '年額', '人数', '収入', '割合', '年額', '人数', '収入', '人数', '収入'].map((c) => h('th', {}, c))),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { 'data-stage': row.stage },
            h('td', { class: 'nowrap' }, row.proposed?.label ?? row.current?.label ?? `第${row.stage}段階`),
            ...(row.current
              ? [num(ratioText(row.current.ratio)), num(formatYen(row.current.annual_amount)), num(formatCount(row.current.persons)), num(formatYen(row.current.revenue))]
              : [h('td', { colspan: 4, class: 'muted' }, '(この段階なし)')]),
            ...(row.proposed
              ? [num(ratioText(row.proposed.ratio)), num(formatYen(row.proposed.annual_amount)), num(formatCount(row.proposed.persons)), num(formatYen(row.proposed.revenue))]
              : [h('td', { colspan: 4, class: 'muted' }, '(この段階なし)')]),
            num(formatCountDifference(row.personsDifference), diffClass(row.personsDifference)),
            num(formatDifference(row.revenueDifference), diffClass(row.revenueDifference)),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          { class: 'total' },
          h('td', {}, '合計'),
          h('td', {}),
          h('td', {}),
          num(formatCount(r.current.persons)),
          num(formatYen(r.current.revenue)),
          h('td', {}),
          h('td', {}),
          num(formatCount(r.proposed.persons)),
          num(formatYen(r.proposed.revenue)),
          num(formatCountDifference(r.proposed.persons - r.current.persons), diffClass(r.proposed.persons - r.current.persons)),
          num(formatDifference(revenueDiff), diffClass(revenueDiff)),
        ),
      ),
    ),
  );
}
