// 保険料段階表 (#/premium/table?fiscal_year=2026): the table in force for a fiscal year — the plan
// period, the rule file and its sha256 (the version stored with every assessment), the base
// amount, and per stage its conditions (施行令38条1項 as the city's ordinance sets them), the ratio,
// the reduced ratio (法124条の2 公費軽減) and the annual amount. A year no table covers is a 404.
import '../premium.css';
import { errorBanner, h, mount } from '../dom';
import { toWareki } from '../format';
import { alternativeText, fiscalYearChoices, fiscalYearLabel, fiscalYearOf, fiscalYearOption, formatYen } from '../premium';
import type { PremiumTableView } from '../premium_types';
import { premiumApi } from '../api_premium';
import { failureMessage, type PageContext } from './context';
import { labelledSelect } from './inquiry_parts';

export function renderPremiumTable(ctx: PageContext, query: Record<string, string>): void {
  const current = fiscalYearOf();
  const asked = /^\d{4}$/.test(query.fiscal_year ?? '') ? Number(query.fiscal_year) : current;
  const years = [...new Set([...fiscalYearChoices(current), asked])].sort((a, b) => b - a);
  const fy = labelledSelect('table-fiscal-year', '年度', String(asked), years.map((y) => [String(y), fiscalYearOption(y)]));
  fy.el.addEventListener('change', () => {
    location.hash = `#/premium/table?fiscal_year=${fy.el.value}`;
  });
  const banner = h('div', { class: 'banner-slot' });
  const body = h('div', { id: 'premium-table-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  mount(ctx.main, h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '保険料段階表'), fy.wrap), banner, body);

  void premiumApi.table(asked).then(
    (t) => ctx.isCurrent() && mount(body, tableView(t)),
    (e: unknown) => {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(`${fiscalYearLabel(asked)}: ${message}`));
      mount(body);
    },
  );
}

function tableView(t: PremiumTableView): HTMLElement {
  const fact = (key: string, label: string, ...value: (string | HTMLElement)[]) =>
    h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, ...value));
  return h(
    'div',
    {},
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t.name),
      h(
        'dl',
        { class: 'facts', id: 'premium-table-facts' },
        fact('fiscal_year', '年度', `${fiscalYearLabel(t.fiscal_year)} (${t.fiscal_year})`),
        fact('plan_period', '計画期間', `${fiscalYearLabel(t.plan_period.first_fiscal_year)}〜${fiscalYearLabel(t.plan_period.last_fiscal_year)}`),
        fact('effective_from', '適用開始', toWareki(t.effective_from), h('span', { class: 'iso' }, t.effective_from)),
        fact('base_amount', '基準額 (年額)', h('strong', {}, formatYen(t.base_amount))),
        fact('apply_reduced_ratio', '公費軽減', t.apply_reduced_ratio ? '適用 (軽減後の割合で賦課)' : '適用しない'),
        fact('file', 'ファイル', h('span', { class: 'mono' }, t.file)),
        fact('sha256', 'SHA-256', h('span', { class: 'mono small sha', title: t.sha256 }, t.sha256)),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '段階', h('span', { class: 'sub' }, `${t.stages.length}段階・上の段階から順に判定 (生活保護等 → 老齢福祉年金 → 所得)`)),
      h(
        'table',
        { class: 'grid premium-stages', id: 'premium-stage-table' },
        h('thead', {}, h('tr', {}, ['段階', '条件', '割合', '軽減後の割合', '適用する割合', '年額'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          t.stages.map((s) =>
            h(
              'tr',
              { 'data-stage': s.stage },
              h('td', { class: 'nowrap' }, h('strong', {}, s.label)),
              h(
                'td',
                { class: 'conditions' },
                s.welfare ? h('div', {}, '生活保護・中国残留邦人等支援給付の受給者') : null,
                s.alternatives.map((a) => h('div', {}, alternativeText(a))),
              ),
              h('td', { class: 'num' }, s.ratio),
              h('td', { class: 'num' }, s.reduced_ratio ?? h('span', { class: 'muted' }, '—')),
              h('td', { class: 'num' }, s.applied_ratio),
              h('td', { class: 'num' }, formatYen(s.annual_amount)),
            ),
          ),
        ),
      ),
    ),
  );
}
