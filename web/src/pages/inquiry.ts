// One 番号連携 inquiry (#/inquiries/{id}): everything the server knows about it — codes, 処理通番,
// attempts, next poll and deadline, the answer items and the reasons for items without a value,
// and the error. 「取消」 (with a reason) while it is open; 「再照会」 after an error or time-out.
// While the inquiry is open it is fetched again every 10 s.
import { api } from '../api';
import { errorBanner, h, mount, type Child } from '../dom';
import { formatCount, formatTimestamp } from '../format';
import { answerValueText, canCancel, canRetry, formatPeriod, isFinalState, itemLabel } from '../inquiry';
import { personHash } from '../router';
import type { Inquiry } from '../types';
import { failureMessage, type PageContext } from './context';
import { clockTime, inquiryBadge, refreshEvery } from './inquiry_parts';

export function renderInquiry(ctx: PageContext, inquiryId: string): void {
  const banner = h('div', { class: 'banner-slot' });
  const notice = h('div', { class: 'banner-slot', id: 'inquiry-notice' });
  const body = h('div', { id: 'inquiry-body' }, h('p', { class: 'muted' }, '読み込み中…'));
  const actions = h('div', { class: 'inquiry-actions', id: 'inquiry-actions' });
  mount(
    ctx.main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', { class: 'page-title' }, `番号連携 照会 ${inquiryId}`),
      h('a', { href: '#', class: 'back', onclick: back }, '← 戻る'),
      h('a', { href: '#/inquiries', class: 'back' }, '照会キューへ'),
    ),
    banner,
    notice,
    actions,
    body,
  );

  let current: Inquiry | null = null;
  let cancelling = false; // the reason form is open: a refresh must not wipe what is typed
  let pollAfterAction = () => {};

  const show = (q: Inquiry) => {
    current = q;
    mount(body, ...inquiryView(q));
    drawActions();
  };

  const drawActions = () => {
    const q = current;
    if (!q || cancelling) return;
    mount(
      actions,
      canCancel(q.status)
        ? h('button', { type: 'button', class: 'btn', id: 'inquiry-cancel', onclick: openCancel }, '取消')
        : null,
      canRetry(q.status)
        ? h('button', { type: 'button', class: 'btn btn-primary', id: 'inquiry-retry', onclick: () => void retry() }, '再照会')
        : null,
      h('button', { type: 'button', class: 'btn', id: 'inquiry-refresh', onclick: () => void load() }, '更新'),
      h('span', { class: 'muted', id: 'inquiry-updated' }, `最終更新 ${clockTime()}`, isFinalState(q.status) ? '' : '・10秒ごとに自動更新'),
    );
  };

  const fail = (e: unknown) => {
    if (!ctx.isCurrent()) return;
    const message = failureMessage(ctx, e);
    if (message !== null) mount(banner, errorBanner(message));
  };

  const openCancel = () => {
    cancelling = true;
    const reason = h('input', { id: 'cancel-reason', class: 'wide', placeholder: '例: 本人から申請の取下げがあったため', autocomplete: 'off' });
    const close = () => {
      cancelling = false;
      drawActions();
    };
    mount(
      actions,
      h(
        'form',
        {
          class: 'cancel-form',
          id: 'cancel-form',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            const text = reason.value.trim();
            if (!text) {
              reason.classList.add('invalid');
              mount(banner, errorBanner('取消の理由を入力してください'));
              reason.focus();
              return;
            }
            mount(banner);
            try {
              const q = await api.cancelInquiry(inquiryId, text);
              if (!ctx.isCurrent()) return;
              cancelling = false;
              mount(notice, h('div', { class: 'banner info', role: 'status' }, '照会を取り消しました'));
              show(q);
            } catch (e) {
              fail(e);
              // 409: it became final meanwhile — show what it is now.
              cancelling = false;
              void load();
            }
          },
        },
        h('label', { for: 'cancel-reason' }, '取消の理由'),
        reason,
        h('button', { type: 'submit', class: 'btn btn-danger', id: 'cancel-confirm' }, '取消を確定'),
        h('button', { type: 'button', class: 'btn', onclick: close }, 'やめる'),
      ),
    );
    reason.focus();
  };

  const retry = async () => {
    mount(banner);
    try {
      const q = await api.retryInquiry(inquiryId);
      if (!ctx.isCurrent()) return;
      mount(notice, h('div', { class: 'banner info', role: 'status' }, '再照会を登録しました'));
      show(q);
      pollAfterAction();
    } catch (e) {
      fail(e);
      void load();
    }
  };

  const load = async (): Promise<boolean> => {
    try {
      const q = await api.inquiry(inquiryId);
      if (!ctx.isCurrent()) return false;
      mount(banner);
      show(q);
      return true;
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      fail(e);
      if (!current) mount(body);
      return current !== null;
    }
  };

  // Poll while the inquiry is open; a final one changes only by staff action (再照会), which
  // starts polling again.
  let polling = false;
  const poll = () => {
    if (polling || !current || isFinalState(current.status)) return;
    polling = true;
    refreshEvery(ctx, async () => {
      const ok = await load();
      polling = ok && current !== null && !isFinalState(current.status);
      return polling;
    });
  };
  pollAfterAction = poll;
  void load().then(poll);
}

function back(ev: Event): void {
  ev.preventDefault();
  if (history.length > 1) history.back();
  else location.hash = '#/inquiries';
}

function inquiryView(q: Inquiry): Child[] {
  const rows: [string, Child, string][] = [
    ['照会ID', h('span', { class: 'mono' }, String(q.inquiry_id)), 'inquiry_id'],
    ['状態', inquiryBadge(q.status), 'status'],
    ['種別', [q.kind_name || q.kind, h('span', { class: 'iso' }, q.kind)], 'kind'],
    ['宛名番号', h('a', { class: 'mono', href: personHash(q.person_id) }, q.person_id), 'person_id'],
    ['照会先', [q.counterpart_name || q.counterpart, h('span', { class: 'iso' }, q.institution_code)], 'counterpart'],
    ['対象期間', formatPeriod(q.period_from, q.period_to), 'period'],
    ['事務', h('span', { class: 'mono' }, q.jimu_code), 'jimu_code'],
    ['事務手続', h('span', { class: 'mono' }, q.procedure_code), 'procedure_code'],
    ['特定個人情報名', h('span', { class: 'mono' }, q.item_code), 'item_code'],
    ['処理通番', h('span', { class: 'mono' }, q.processing_no || '未取得'), 'processing_no'],
    ['試行回数', `${formatCount(q.attempts)}回`, 'attempts'],
    ['次回確認', formatTimestamp(q.next_poll_at) || '—', 'next_poll_at'],
    ['期限', formatTimestamp(q.deadline_at) || '—', 'deadline_at'],
    ['回答日時', formatTimestamp(q.answered_at) || '—', 'answered_at'],
    ['登録日時', formatTimestamp(q.created_at), 'created_at'],
    ['登録者', h('span', { class: 'mono' }, q.created_by), 'created_by'],
    ['更新日時', formatTimestamp(q.updated_at), 'updated_at'],
    ['要求キー', h('span', { class: 'mono' }, q.request_key), 'request_key'],
    ['一括照会', q.bulk_id === null || q.bulk_id === undefined ? '—' : h('span', { class: 'mono' }, String(q.bulk_id)), 'bulk_id'],
    ['照会目的', q.purpose || '—', 'purpose'],
  ];
  if (q.cancel_reason) rows.push(['取消理由', q.cancel_reason, 'cancel_reason']);
  const hasError = Boolean(q.error_code || q.error_message);
  return [
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '照会内容'),
      h(
        'dl',
        { class: 'facts', id: 'inquiry-facts' },
        rows.map(([label, value, key]) => h('div', { class: 'fact', 'data-field': key }, h('dt', {}, label), h('dd', {}, value))),
      ),
    ),
    hasError
      ? h(
          'section',
          { class: 'panel panel-error', id: 'inquiry-error' },
          h('h2', {}, 'エラー'),
          h('p', {}, h('span', { class: 'mono' }, q.error_code ?? ''), ' ', q.error_message ?? ''),
          canRetry(q.status) ? h('p', { class: 'muted' }, '原因を確認のうえ「再照会」できます。') : null,
        )
      : null,
    answerSection(q),
  ];
}

function answerSection(q: Inquiry): HTMLElement {
  const title = h('h2', {}, '回答', q.answered_at ? h('span', { class: 'sub' }, formatTimestamp(q.answered_at)) : null);
  if (!q.answer) {
    const text =
      q.status === 'not_found'
        ? '該当する情報はありません (該当なし)'
        : q.status === 'manual_pending'
          ? '照会先で手動回答の準備中です (自動応答不可)。回答が届くまでこの照会は開いたままです。'
          : isFinalState(q.status)
            ? '回答はありません'
            : '回答はまだありません';
    return h('section', { class: 'panel', id: 'inquiry-answer' }, title, h('div', { class: 'empty' }, text));
  }
  const items = Object.entries(q.answer.items ?? {});
  const reasons = Object.entries(q.answer.null_reasons ?? {});
  return h(
    'section',
    { class: 'panel', id: 'inquiry-answer' },
    title,
    items.length === 0 && reasons.length === 0 ? h('div', { class: 'empty' }, '回答に項目はありません') : null,
    items.length
      ? h(
          'table',
          { class: 'grid kv', id: 'answer-items' },
          h('thead', {}, h('tr', {}, h('th', {}, '項目'), h('th', {}, 'コード'), h('th', {}, '値'))),
          h(
            'tbody',
            {},
            items.map(([k, v]) =>
              h('tr', { 'data-item': k }, h('td', {}, itemLabel(k)), h('td', { class: 'mono' }, k), h('td', {}, answerValueText(v))),
            ),
          ),
        )
      : null,
    reasons.length
      ? [
          h('h3', {}, '値のない項目 (理由)'),
          h(
            'table',
            { class: 'grid kv', id: 'answer-null-reasons' },
            h('thead', {}, h('tr', {}, h('th', {}, '項目'), h('th', {}, 'コード'), h('th', {}, '理由'))),
            h(
              'tbody',
              {},
              reasons.map(([k, v]) =>
                h('tr', { 'data-item': k }, h('td', {}, itemLabel(k)), h('td', { class: 'mono' }, k), h('td', {}, v)),
              ),
            ),
          ),
        ]
      : null,
  );
}
