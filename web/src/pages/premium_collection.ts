// 個人ページ 保険料 → 徴収 of one fiscal year (GET /persons/{id}/premium/collection,
// server/tokucho_routes.cpp): the 特別徴収 status (法134〜141条: deduction from the pension through
// the 国保連), the targets the pension insurers named (FK-14), the instalments planned — 仮徴収/本徴収
// by pension month, 普通徴収 by the city's 期 —, the requests sent (FK-15), the results received
// (FK-16) and every re-plan with its explanation.
import { h, type Child } from '../dom';
import { formatTimestamp } from '../format';
import {
  causeLabel,
  deductionStatus,
  formatYen,
  instalmentName,
  instalmentStatusLabel,
  instalmentTotals,
  isLiveInstalment,
  methodLabel,
  monthLabelOf,
  requestKindLabel,
  requestStatusLabel,
} from '../premium';
import type { CollectionYear, DeductionTarget } from '../premium_types';

const th = (cols: string[]) => h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, c))));
const exchange = (id: number | null | undefined): Child => (id === null || id === undefined ? '' : h('span', { class: 'mono small' }, `連携 #${id}`));

export function collectionYearView(y: CollectionYear, targets: DeductionTarget[]): HTMLElement {
  const status = deductionStatus(y.deduction_status);
  const totals = instalmentTotals(y.instalments);
  const instalments = [...y.instalments].sort((a, b) => a.due_month.localeCompare(b.due_month) || a.method.localeCompare(b.method) || a.instalment_id - b.instalment_id);
  return h(
    'div',
    { class: 'premium-collection', id: `premium-collection-${y.fiscal_year}`, 'data-deduction-status': y.deduction_status },
    h(
      'h4',
      {},
      '徴収',
      h('span', { class: `badge inq inq-${status.tone} deduction-status` }, status.label),
      h(
        'span',
        { class: 'sub' },
        ['special', 'ordinary']
          .filter((m) => totals[m] !== undefined)
          .map((m) => `${methodLabel(m)} ${formatYen(totals[m])}`)
          .join('・') || '納付計画なし',
      ),
    ),
    targets.length
      ? h(
          'table',
          { class: 'grid', id: `premium-targets-${y.fiscal_year}` },
          th(['特別徴収対象者 (FK-14)', '年金保険者', '基礎年金番号', '年金コード', '年金種別', '年金額', '捕捉月', '開始月', '受信日時']),
          h(
            'tbody',
            {},
            targets.map((t) =>
              h(
                'tr',
                { 'data-target-id': t.target_id },
                h('td', { class: 'nowrap' }, exchange(t.exchange_id), ` 第${t.record_no}レコード`),
                h('td', { class: 'mono' }, t.pension_insurer_code),
                h('td', { class: 'mono' }, t.basic_pension_no),
                h('td', { class: 'mono' }, t.pension_code),
                h('td', {}, t.pension_kind),
                h('td', { class: 'num' }, formatYen(t.annual_pension_amount)),
                h('td', { class: 'nowrap' }, monthLabelOf(t.capture_month)),
                h('td', { class: 'nowrap' }, monthLabelOf(t.start_month)),
                h('td', { class: 'nowrap' }, formatTimestamp(t.received_at)),
              ),
            ),
          ),
        )
      : null,
    instalments.length === 0
      ? h('div', { class: 'empty small-empty' }, 'この年度の納付計画はまだありません')
      : h(
          'table',
          { class: 'grid premium-instalments', id: `premium-instalments-${y.fiscal_year}` },
          th(['納期 (月)', '区分', '期', '金額', '状態', '徴収額', '理由', '計画']),
          h(
            'tbody',
            {},
            instalments.map((i) =>
              h(
                'tr',
                { 'data-method': i.method, 'data-status': i.status, class: isLiveInstalment(i.status) || i.status === 'refund' ? null : 'cancelled' },
                h('td', { class: 'nowrap' }, monthLabelOf(i.due_month)),
                h('td', { class: 'nowrap' }, methodLabel(i.method)),
                h('td', { class: 'nowrap' }, instalmentName(i.method, i.number)),
                h('td', { class: 'num' }, i.status === 'refund' ? formatYen(-i.amount) : formatYen(i.amount)),
                h('td', { class: 'nowrap' }, instalmentStatusLabel(i.status)),
                h('td', { class: 'num' }, i.collected_amount === null ? '' : formatYen(i.collected_amount)),
                h('td', { class: 'mono small' }, i.reason_code ?? ''),
                h('td', { class: 'mono small' }, `#${i.plan_revision}`),
              ),
            ),
          ),
        ),
    y.requests.length
      ? h(
          'table',
          { class: 'grid', id: `premium-requests-${y.fiscal_year}` },
          th(['特別徴収依頼 (FK-15)', '種別', '開始月', '年金保険者', '年金コード', '依頼額', '状態', '理由', '依頼日時', '回答']),
          h(
            'tbody',
            {},
            y.requests.map((r) =>
              h(
                'tr',
                { 'data-request-id': r.request_id, 'data-status': r.status },
                h('td', { class: 'nowrap' }, exchange(r.exchange_id)),
                h('td', { class: 'nowrap' }, requestKindLabel(r.request_kind)),
                h('td', { class: 'nowrap' }, monthLabelOf(r.start_month)),
                h('td', { class: 'mono' }, r.pension_insurer_code),
                h('td', { class: 'mono' }, r.pension_code),
                h(
                  'td',
                  { class: 'small' },
                  Object.entries(r.amounts)
                    .filter(([, yen]) => yen !== 0)
                    .map(([m, yen]) => `${Number(m.slice(5))}月 ${formatYen(yen)}`)
                    .join('・'),
                ),
                h('td', { class: 'nowrap' }, requestStatusLabel(r.status)),
                h('td', { class: 'mono small' }, r.reason_code ?? ''),
                h('td', { class: 'nowrap' }, formatTimestamp(r.requested_at)),
                h('td', { class: 'nowrap' }, r.answered_at ? [formatTimestamp(r.answered_at), ' ', exchange(r.result_exchange_id)] : h('span', { class: 'muted' }, '—')),
              ),
            ),
          ),
        )
      : null,
    y.results.length
      ? h(
          'table',
          { class: 'grid', id: `premium-results-${y.fiscal_year}` },
          th(['徴収結果 (FK-16)', '年金支払月', '結果', '金額', '理由', '受信日時']),
          h(
            'tbody',
            {},
            y.results.map((r) =>
              h(
                'tr',
                { 'data-result-id': r.result_id, 'data-collected': String(r.collected) },
                h('td', { class: 'nowrap' }, exchange(r.exchange_id)),
                h('td', { class: 'nowrap' }, monthLabelOf(r.deduction_month)),
                h('td', {}, r.collected ? '徴収済' : h('span', { class: 'error-text' }, '未徴収')),
                h('td', { class: 'num' }, formatYen(r.amount)),
                h('td', { class: 'mono small' }, r.reason_code === '00' ? '' : r.reason_code),
                h('td', { class: 'nowrap' }, formatTimestamp(r.received_at)),
              ),
            ),
          ),
        )
      : null,
    y.plans.length
      ? h(
          'details',
          { class: 'plan-history' },
          h('summary', {}, `納付計画の改訂 ${y.plans.length}件`),
          h(
            'table',
            { class: 'grid', id: `premium-plans-${y.fiscal_year}` },
            th(['計画', '原因', '保険料', '計画日時', '計画者', '説明']),
            h(
              'tbody',
              {},
              [...y.plans]
                .sort((a, b) => b.plan_revision - a.plan_revision)
                .map((p) =>
                  h(
                    'tr',
                    { 'data-plan-revision': p.plan_revision },
                    h('td', { class: 'nowrap' }, `#${p.plan_revision}`),
                    h('td', { class: 'nowrap' }, causeLabel(p.cause)),
                    h('td', { class: 'num' }, formatYen(p.amount)),
                    h('td', { class: 'nowrap' }, formatTimestamp(p.planned_at)),
                    h('td', { class: 'mono small' }, p.planned_by),
                    h('td', {}, h('ol', { class: 'plan-explanation' }, p.explanation.map((line) => h('li', {}, line)))),
                  ),
                ),
            ),
          ),
        )
      : null,
  );
}
