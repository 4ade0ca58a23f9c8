// 個人ページ 資格: the person's insured register (docs/api-eligibility.md) — 被保険者番号, today's
// status, periods, the address facts behind them (住基 / 窓口 / 職権), medical insurance, the
// 住所地特例 and 適用除外 entries, every revision (before → after) and the cards issued. 資格担当
// and 監督者 also get the actions (person_eligibility_actions.ts); a 403 leaves the rest of the
// page as it is.
import { errorBanner, h, mount, type Child } from '../dom';
import { categoryLabel, changeText, codeLabel, sourceLabel, todayText, type ReasonLabels } from '../eligibility';
import type { AddressFact, EligibilityCodeLists, Register, Revision } from '../eligibility_types';
import { eligibilityApi } from '../api_eligibility';
import { formatTimestamp, toWareki } from '../format';
import { failureMessage, type PageContext } from './context';
import { eligibilityActions, type RowActions } from './person_eligibility_actions';

export function canWriteEligibility(roles: readonly string[]): boolean {
  return roles.includes('eligibility_staff') || roles.includes('supervisor');
}

/** The section; `personChanged` redraws the identity panel (a new 被保険者番号). */
export function renderEligibilitySection(ctx: PageContext, personId: string, roles: readonly string[], personChanged: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const body = h('div', { id: 'eligibility-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const writer = canWriteEligibility(roles);
  let codes: EligibilityCodeLists | null = null;
  let actions: ReturnType<typeof eligibilityActions> | null = null;

  const load = async (): Promise<void> => {
    try {
      const [reg, lists] = await Promise.all([eligibilityApi.register(personId), codes ?? eligibilityApi.codeLists()]);
      if (!ctx.isCurrent()) return;
      codes = lists;
      mount(banner);
      if (writer && !actions) {
        actions = eligibilityActions(ctx, personId, lists, () => {
          void load();
          personChanged();
        });
      }
      mount(body, registerView(reg, lists, actions?.rowActions ?? null), actions ? actions.el : null);
      actions?.update(reg);
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(`資格: ${message}`));
      mount(body);
    }
  };
  void load();
  return h(
    'section',
    { class: 'panel', id: 'eligibility' },
    h('h2', {}, '資格', h('span', { class: 'sub' }, '被保険者台帳'), h('button', { type: 'button', class: 'btn btn-small', id: 'eligibility-refresh', onclick: () => void load() }, '更新')),
    banner,
    body,
  );
}

const th = (cols: string[]) => h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, c))));
const dateCell = (iso: string | null | undefined, none = '') =>
  h('td', { class: 'nowrap' }, iso ? [toWareki(iso), h('span', { class: 'iso' }, iso)] : h('span', { class: 'muted' }, none));
const empty = (id: string, text: string) => h('div', { class: 'empty small-empty', id }, text);

function registerView(reg: Register, codes: EligibilityCodeLists, rowActions: RowActions | null): HTMLElement {
  const labels: ReasonLabels = codes;
  const open = reg.periods.find((p) => p.period_no === reg.today.period_no);
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'facts', id: 'eligibility-summary' },
      h('div', { class: 'fact', 'data-field': 'insured_no' }, h('dt', {}, '被保険者番号'), h('dd', { class: 'mono' }, reg.insured_no ?? '未付番')),
      h(
        'div',
        { class: 'fact', 'data-field': 'today' },
        h('dt', {}, '本日の資格'),
        h('dd', {}, h('span', { class: `badge ${reg.today.insured ? 'badge-implemented' : 'badge-not_yet'}` }, todayText(reg.today))),
      ),
      h(
        'div',
        { class: 'fact', 'data-field': 'since' },
        h('dt', {}, '取得日'),
        h('dd', {}, open ? [toWareki(open.acquired_on), h('span', { class: 'iso' }, open.acquired_on)] : '—'),
      ),
    ),
    h('h3', {}, '資格期間', h('span', { class: 'sub' }, `${reg.periods.length}件・喪失日は資格のなくなる日`)),
    reg.periods.length === 0
      ? empty('eligibility-periods-empty', '資格期間はありません')
      : h(
          'table',
          { class: 'grid', id: 'eligibility-periods' },
          th(['No', '区分', '取得日', '取得事由', '喪失日', '喪失事由']),
          h(
            'tbody',
            {},
            reg.periods.map((p) =>
              h(
                'tr',
                { 'data-period-no': p.period_no ?? '', 'data-acquisition-reason': p.acquisition_reason },
                h('td', { class: 'num' }, String(p.period_no ?? '')),
                h('td', {}, categoryLabel(p.category)),
                dateCell(p.acquired_on),
                h('td', {}, p.acquisition_reason_label || codeLabel(labels.acquisition_reasons, p.acquisition_reason)),
                dateCell(p.lost_on, '—'),
                h('td', {}, p.loss_reason ? p.loss_reason_label || codeLabel(labels.loss_reasons, p.loss_reason) : ''),
              ),
            ),
          ),
        ),
    h('h3', {}, '異動 (資格の根拠)', h('span', { class: 'sub' }, `${reg.facts.length}件`)),
    factTable(reg.facts, rowActions),
    h('h3', {}, '医療保険'),
    reg.medical_insurance.length === 0
      ? empty('eligibility-medical-empty', '記録はありません')
      : h(
          'table',
          { class: 'grid', id: 'eligibility-medical' },
          th(['種別', '保険者番号', '資格取得日', '資格喪失日']),
          h(
            'tbody',
            {},
            reg.medical_insurance.map((m) =>
              h('tr', {}, h('td', {}, m.insurer_kind_label || codeLabel(codes.insurer_kinds, m.insurer_kind)), h('td', { class: 'mono' }, m.insurer_no), dateCell(m.valid_from), dateCell(m.valid_to, '—')),
            ),
          ),
        ),
    h('h3', {}, '住所地特例'),
    reg.former_address_rules.length === 0
      ? empty('eligibility-rules-empty', '住所地特例の記録はありません')
      : h(
          'table',
          { class: 'grid', id: 'eligibility-rules' },
          th(['区分', '施設種別', '施設名', '所在市町村', '相手保険者', '開始日', '終了日', '情報源', '']),
          h(
            'tbody',
            {},
            reg.former_address_rules.map((r) =>
              h(
                'tr',
                { 'data-rule-id': r.rule_id },
                h('td', {}, r.direction_label),
                h('td', {}, r.facility_kind_label),
                h('td', {}, r.facility_name),
                h('td', { class: 'mono' }, r.facility_municipality_code),
                h('td', { class: 'mono' }, r.other_insurer_no),
                dateCell(r.started_on),
                dateCell(r.ended_on, '継続中'),
                h('td', {}, sourceLabel(r.source)),
                h('td', {}, !r.ended_on && rowActions ? rowActions.endRule(r) : null),
              ),
            ),
          ),
        ),
    h('h3', {}, '適用除外'),
    reg.exemptions.length === 0
      ? empty('eligibility-exemptions-empty', '適用除外の記録はありません')
      : h(
          'table',
          { class: 'grid', id: 'eligibility-exemptions' },
          th(['施設種別', '施設名', '入所日', '退所日', '情報源', '']),
          h(
            'tbody',
            {},
            reg.exemptions.map((x) =>
              h(
                'tr',
                { 'data-exemption-id': x.exemption_id },
                h('td', {}, x.facility_kind_label),
                h('td', {}, x.facility_name),
                dateCell(x.entered_on),
                dateCell(x.left_on, '入所中'),
                h('td', {}, sourceLabel(x.source)),
                h('td', {}, !x.left_on && rowActions ? rowActions.endExemption(x) : null),
              ),
            ),
          ),
        ),
    h('h3', {}, '改訂履歴', h('span', { class: 'sub' }, `${reg.revisions.length}件・新しい順`)),
    revisionTable(reg.revisions, labels),
    h('h3', {}, '被保険者証 交付履歴', h('span', { class: 'sub' }, `${reg.cards.length}件`)),
    reg.cards.length === 0
      ? empty('eligibility-cards-empty', '交付の記録はありません')
      : h(
          'table',
          { class: 'grid', id: 'eligibility-cards' },
          th(['交付日', '事由', '交付者']),
          h(
            'tbody',
            {},
            reg.cards.map((c) => h('tr', { 'data-reason': c.reason }, dateCell(c.issued_on), h('td', {}, c.reason_label), h('td', { class: 'mono' }, c.issued_by))),
          ),
        ),
  );
}

function originCell(exchangeId: number | null, caseId: number | null): HTMLElement {
  const parts: Child[] = [];
  if (caseId !== null) parts.push(h('a', { href: `#/cases/${caseId}`, class: 'case-link' }, `受付 #${caseId}`));
  if (exchangeId !== null) parts.push(h('span', { class: 'mono small', title: '情報連携の記録番号' }, `連携 #${exchangeId}`));
  return h('td', { class: 'nowrap' }, parts.length ? parts : h('span', { class: 'muted' }, '—'));
}

function factTable(facts: AddressFact[], rowActions: RowActions | null): HTMLElement {
  if (facts.length === 0) return empty('eligibility-facts-empty', '異動の記録はありません');
  return h(
    'table',
    { class: 'grid', id: 'eligibility-facts' },
    th(['異動日', '種別', '転入先の転入日', '情報源', '連携・受付', '住基異動ID', '記録日時', '記録者', '状態']),
    h(
      'tbody',
      {},
      facts.map((f) =>
        h(
          'tr',
          { 'data-fact-id': f.fact_id, 'data-kind': f.kind, 'data-source': f.source, class: f.cancelled ? 'cancelled' : null },
          dateCell(f.on),
          h('td', {}, f.kind_label),
          dateCell(f.new_address_on, ''),
          h('td', {}, h('span', { class: `badge source source-${f.source}` }, sourceLabel(f.source))),
          originCell(f.source_exchange_id, f.case_id),
          h('td', { class: 'mono small' }, f.registry_movement_id ?? ''),
          h('td', { class: 'nowrap' }, formatTimestamp(f.recorded_at)),
          h('td', { class: 'mono small' }, f.recorded_by),
          h(
            'td',
            {},
            f.cancelled ? h('span', { class: 'badge inq inq-off', title: f.cancel_reason ?? '' }, '取消済') : rowActions ? rowActions.cancelFact(f) : '有効',
            f.cancelled && f.cancel_reason ? h('div', { class: 'small muted' }, f.cancel_reason) : null,
          ),
        ),
      ),
    ),
  );
}

function revisionTable(revisions: Revision[], labels: ReasonLabels): HTMLElement {
  if (revisions.length === 0) return empty('eligibility-revisions-empty', '改訂の記録はありません');
  return h(
    'table',
    { class: 'grid', id: 'eligibility-revisions' },
    th(['日時', '記録者', '情報源', '原因', '連携・受付', '遡及', '変更内容 (前 → 後)']),
    h(
      'tbody',
      {},
      revisions.map((r) =>
        h(
          'tr',
          { 'data-revision-id': r.revision_id, 'data-source': r.source },
          h('td', { class: 'nowrap' }, formatTimestamp(r.revised_at)),
          h('td', { class: 'mono small' }, r.revised_by),
          h('td', { class: 'nowrap' }, sourceLabel(r.source)),
          h('td', {}, r.cause),
          originCell(r.source_exchange_id, r.case_id),
          h('td', { class: 'nowrap' }, r.earliest_change_on ? `${toWareki(r.earliest_change_on)}から` : ''),
          h('td', { class: 'changes' }, r.changes.map((c) => h('div', { class: `change change-${c.kind}` }, changeText(c, labels)))),
        ),
      ),
    ),
  );
}
