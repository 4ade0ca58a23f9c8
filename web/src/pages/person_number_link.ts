// The two 番号連携 sections of the 個人ページ:
//   番号連携        a new 情報照会 for this person (種別, 対象期間, 照会目的) and their inquiries
//   情報提供等記録  every inquiry and provision about the person in the exchange log, as the
//                   person would see it on マイナポータル (開示/不開示), with a CSV download
// Each section has its own banner, so a user without the rights (403) still sees the person.
import { api, ApiError, exchangeRecordsCsvUrl } from '../api';
import { errorBanner, h, mount } from '../dom';
import { formatCount, formatTimestamp, parseDateInput } from '../format';
import { defaultPeriod, disclosureLabel, exchangeKindLabel, inquiryStateLabel, isFinalState, itemLabel } from '../inquiry';
import { inquiryHash } from '../router';
import type { ExchangeRecord, Inquiry, InquiryKind } from '../types';
import { failureMessage, type PageContext } from './context';
import { inquiryBadge, labelledInput, labelledSelect, periodCell, refreshEvery, timeCell } from './inquiry_parts';

export function renderNumberLinkSections(ctx: PageContext, personId: string): HTMLElement[] {
  const records = exchangeRecordsSection(ctx, personId);
  const inquiries = inquirySection(ctx, personId, () => void records.load());
  return [inquiries, records.el];
}

function inquirySection(ctx: PageContext, personId: string, recordsChanged: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const result = h('div', { class: 'banner-slot', id: 'new-inquiry-result' });
  const list = h('div', { id: 'person-inquiries' }, h('p', { class: 'muted' }, '読み込み中…'));
  const count = h('span', { class: 'sub' });

  const kind = labelledSelect('new-inquiry-kind', '種別', '', [['', '読み込み中…']], false);
  const from = labelledInput('new-inquiry-from', '対象期間 開始', '', '例: 2025-01-01');
  const to = labelledInput('new-inquiry-to', '対象期間 終了', '', '例: 2025-12-31');
  const purpose = labelledInput('new-inquiry-purpose', '照会目的', '', '例: 転入者の保険料段階の判定');
  const hint = h('div', { class: 'muted form-hint', id: 'new-inquiry-hint' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'new-inquiry-submit', disabled: true }, '照会する');
  const inputs = { kind: kind.el, period_from: from.el, period_to: to.el, purpose: purpose.el } as const;

  let kinds: InquiryKind[] = [];
  const chooseKind = () => {
    const k = kinds.find((x) => x.kind === kind.el.value);
    if (!k) return mount(hint);
    const p = defaultPeriod(k.period, new Date());
    from.el.value = p.from;
    to.el.value = p.to;
    mount(
      hint,
      `照会先: ${k.counterpart_name}・連携フロー ${k.request_flow} → ${k.answer_flow}・項目: `,
      k.items.map(itemLabel).join('、'),
      k.period === 'previous_year' ? '・対象期間は前年 (1月〜12月) が既定です' : '・対象期間は本日が既定です',
    );
  };
  kind.el.addEventListener('change', chooseKind);

  const showError = (message: string, field: string | null) => {
    mount(banner, errorBanner(message));
    for (const [name, el] of Object.entries(inputs)) el.classList.toggle('invalid', name === field);
    if (field && field in inputs) inputs[field as keyof typeof inputs].focus();
  };

  const form = h(
    'form',
    {
      class: 'inquiry-form',
      id: 'new-inquiry-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        mount(result);
        if (!kind.el.value) return showError('種別を選んでください', 'kind');
        const periodFrom = parseDateInput(from.el.value);
        if (!periodFrom) return showError('対象期間の開始は 2025-01-01 または R7.1.1 の形で入力してください', 'period_from');
        const periodTo = parseDateInput(to.el.value);
        if (!periodTo) return showError('対象期間の終了は 2025-12-31 または R7.12.31 の形で入力してください', 'period_to');
        if (periodTo < periodFrom) return showError('対象期間の終了が開始より前です', 'period_to');
        const text = purpose.el.value.trim();
        if (!text) return showError('照会目的を入力してください', 'purpose');
        showError('', null);
        submit.disabled = true;
        try {
          const q = await api.createInquiry({ person_id: personId, kind: kind.el.value, period_from: periodFrom, period_to: periodTo, purpose: text });
          if (!ctx.isCurrent()) return;
          purpose.el.value = '';
          mount(
            result,
            h(
              'div',
              { class: 'banner info', role: 'status' },
              '照会を登録しました: ',
              h('a', { href: inquiryHash(q.inquiry_id), id: 'new-inquiry-link', 'data-inquiry-id': q.inquiry_id }, `照会ID ${q.inquiry_id}`),
              '・',
              q.processing_no ? `処理通番 ${q.processing_no}・` : '',
              `状態 ${inquiryStateLabel(q.status)}`,
            ),
          );
          void loadList();
          recordsChanged();
        } catch (e) {
          if (!ctx.isCurrent()) return;
          const message = failureMessage(ctx, e);
          if (message !== null) showError(message, e instanceof ApiError ? e.field : null);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('div', { class: 'form-grid' }, kind.wrap, from.wrap, to.wrap, purpose.wrap),
    hint,
    h('div', { class: 'form-actions' }, submit),
  );

  let openCount = 0;
  const loadList = async (): Promise<boolean> => {
    try {
      const { items } = await api.personInquiries(personId);
      if (!ctx.isCurrent()) return false;
      openCount = items.filter((q) => !isFinalState(q.status)).length;
      mount(count, `${items.length}件`, openCount ? `・処理中 ${openCount}件` : '');
      mount(list, personInquiryTable(items));
      return true;
    } catch (e) {
      if (!ctx.isCurrent()) return false;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
      return false;
    }
  };

  void api.inquiryKinds().then(
    (list) => {
      if (!ctx.isCurrent()) return;
      kinds = list;
      mount(
        kind.el,
        h('option', { value: '' }, '選んでください'),
        list.map((k) => h('option', { value: k.kind }, `${k.name} (${k.counterpart_name})`)),
      );
      submit.disabled = false;
    },
    (e: unknown) => {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      form.hidden = true;
    },
  );
  // While some inquiry of this person is open, look again every 10 s (a new submission opens
  // one); when one becomes final the exchange log has news too.
  void loadList().then((ok) => {
    if (!ok) return;
    refreshEvery(ctx, async () => {
      if (openCount === 0) return true;
      const before = openCount;
      const fine = await loadList();
      if (fine && openCount < before) recordsChanged();
      return fine;
    });
  });

  return h(
    'section',
    { class: 'panel', id: 'number-link' },
    h(
      'h2',
      {},
      '番号連携',
      h('span', { class: 'sub' }, '情報照会'),
      h('button', { type: 'button', class: 'btn btn-small', id: 'person-inquiries-refresh', onclick: () => void loadList() }, '更新'),
    ),
    banner,
    form,
    result,
    h('h3', {}, 'この人の照会', count),
    list,
  );
}

function personInquiryTable(items: Inquiry[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty', id: 'person-inquiries-empty' }, '照会はまだありません');
  return h(
    'table',
    { class: 'grid', id: 'person-inquiry-table' },
    h(
      'thead',
      {},
      h('tr', {}, ['照会ID', '種別', '照会先', '対象期間', '処理通番', '状態', '試行回数', '登録日時', '回答日時', '登録者'].map((c) => h('th', {}, c))),
    ),
    h(
      'tbody',
      {},
      items.map((q) =>
        h(
          'tr',
          { 'data-inquiry-id': q.inquiry_id, 'data-status': q.status },
          h('td', { class: 'mono num' }, h('a', { href: inquiryHash(q.inquiry_id) }, String(q.inquiry_id))),
          h('td', { title: q.kind }, q.kind_name || q.kind),
          h('td', { title: q.institution_code }, q.counterpart_name || q.counterpart),
          periodCell(q.period_from, q.period_to),
          h('td', { class: 'mono small' }, q.processing_no || '—'),
          h('td', {}, inquiryBadge(q.status, true)),
          h('td', { class: 'num' }, formatCount(q.attempts)),
          timeCell(q.created_at),
          timeCell(q.answered_at),
          h('td', { class: 'mono' }, q.created_by),
        ),
      ),
    ),
  );
}

function exchangeRecordsSection(ctx: PageContext, personId: string) {
  const banner = h('div', { class: 'banner-slot' });
  const list = h('div', { id: 'exchange-records' }, h('p', { class: 'muted' }, '読み込み中…'));
  const count = h('span', { class: 'sub' });
  const load = async () => {
    try {
      const { items } = await api.exchangeRecords(personId);
      if (!ctx.isCurrent()) return;
      mount(banner);
      mount(count, `${items.length}件`);
      mount(list, recordTable(items));
    } catch (e) {
      if (!ctx.isCurrent()) return;
      const message = failureMessage(ctx, e);
      if (message !== null) mount(banner, errorBanner(message));
      mount(list);
    }
  };
  void load();
  const el = h(
    'section',
    { class: 'panel', id: 'exchange-log' },
    h(
      'h2',
      {},
      '情報提供等記録',
      count,
      h('a', { class: 'btn btn-small', id: 'exchange-records-csv', href: exchangeRecordsCsvUrl(personId), download: `exchange-records-${personId}.csv` }, 'CSV出力'),
    ),
    h('p', { class: 'muted section-note' }, 'この人について行った情報照会と情報提供の記録です。「不開示」の記録はマイナポータルに表示されません。'),
    banner,
    list,
  );
  return { el, load };
}

function recordTable(items: ExchangeRecord[]): HTMLElement {
  if (items.length === 0) return h('div', { class: 'empty', id: 'exchange-records-empty' }, '記録はありません');
  return h(
    'table',
    { class: 'grid', id: 'exchange-record-table' },
    h('thead', {}, h('tr', {}, ['日時', '区分', '相手方', '機関', '事務', '項目', '内容', '開示'].map((c) => h('th', {}, c)))),
    h(
      'tbody',
      {},
      items.map((r) =>
        h(
          'tr',
          { 'data-kind': r.kind, 'data-processing-no': r.processing_no || '', 'data-disclosure': r.disclosure },
          h('td', { class: 'nowrap' }, formatTimestamp(r.at)),
          h('td', { class: 'nowrap' }, exchangeKindLabel(r.kind)),
          h('td', { title: r.counterpart }, r.counterpart_name || r.counterpart),
          h('td', { class: 'mono' }, r.institution_code),
          h('td', { title: r.jimu_code }, r.jimu_name || r.jimu_code),
          h('td', {}, r.item_names.map(itemLabel).join('、')),
          h('td', {}, r.summary, r.processing_no ? h('span', { class: 'iso' }, r.processing_no) : null),
          h('td', { class: 'nowrap' }, h('span', { class: `badge disclosure-${r.disclosure}` }, disclosureLabel(r.disclosure))),
        ),
      ),
    ),
  );
}
