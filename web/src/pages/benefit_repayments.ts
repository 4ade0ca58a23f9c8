// 返還金 (#/benefit/repayments?status=open; 介護保険法22条): 「返還金を決定する」 (KY-18: 債務者 —
// 被保険者 by 宛名番号, or 事業者 by 事業所番号 and name —, 理由, 元金, 決定日; the 加算金 of a provider's
// fraud (法22条3項) is computed by the server from the rule file and shown with the answer), the
// list by status with 決定通知書・納付書 (PDF), and a repayment's 納付 (KY-19 receipts) and 取消.
import { benefitApi, repaymentNoticeUrl, type Repayment } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { todayIso } from '../certification';
import { formatTimestamp, parseDateInput } from '../format';
import { formatYen } from '../premium';
import type { PageContext } from './context';
import { fieldErrors, formPanel, infoBanner, selectField, submitWith, textField } from './forms';
import { explanationLines, label, REASON_KINDS, REPAYMENT_STATUSES } from './benefit_format';
import { dateText, empty, explanationPanel, gate, loadPart, pdfLink, table, yen } from './benefit_parts';
import { writeFailureText } from './benefit_person';

export function renderBenefitRepayments(ctx: PageContext, query: Record<string, string>): void {
  const status = REPAYMENT_STATUSES.includes(query.status as (typeof REPAYMENT_STATUSES)[number]) ? query.status : '';
  const list = h('div', { id: 'repayment-list' }, h('p', { class: 'muted' }, '読み込み中…'));
  const detail = h('div', { id: 'repayment-detail' });
  const formSlot = h('div', {});
  const open = h('button', { type: 'button', class: 'btn btn-primary', id: 'repayment-open' }, '返還金を決定する (KY-18)');
  gate(open, 'POST', '/repayments', '返還金の決定');
  const load = () =>
    loadPart(ctx, list, '返還金', () => benefitApi.repayments(status || undefined), (items) => listView(ctx, items, detail, () => void load())).then((ok) => {
      open.hidden = !ok;
    });
  open.addEventListener('click', () => mount(formSlot, decideForm(ctx, () => mount(formSlot), (r) => {
    void load();
    mount(detail, detailView(ctx, r, () => void load()));
  })));

  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '返還金')),
    h('div', { class: 'action-bar' }, open),
    formSlot,
    h(
      'div',
      { class: 'tabs', id: 'repayment-status-tabs' },
      [['', 'すべて'], ...REPAYMENT_STATUSES.map((s) => [s, label('repayment_status', s)])].map(([s, text]) =>
        h('a', { href: s ? `#/benefit/repayments?status=${s}` : '#/benefit/repayments', class: s === status ? 'tab active' : 'tab' }, text),
      ),
    ),
    h('section', { class: 'panel' }, list),
    detail,
  );
  void load();
}

function listView(ctx: PageContext, items: readonly Repayment[], detail: HTMLElement, changed: () => void): Child {
  if (items.length === 0) return empty('返還金はありません', 'repayments-empty');
  return table(
    'repayment-table',
    ['返還ID', '債務者', '理由', '元金', '加算金', '合計', '納付済', '納期限', '状態', '納付書番号', ''],
    items.map((r) =>
      h(
        'tr',
        { 'data-repayment-id': r.repayment_id, 'data-status': r.status },
        h('td', { class: 'mono' }, String(r.repayment_id)),
        h('td', {}, `${label('debtor_kind', r.debtor_kind)} `, r.person_id ? h('a', { href: `#/person/${encodeURIComponent(r.person_id)}` }, r.debtor_name) : r.debtor_name),
        h('td', {}, label('reason_kind', r.reason_kind)),
        yen(r.principal),
        yen(r.surcharge),
        yen(r.total),
        yen(r.paid_total),
        h('td', { class: 'nowrap' }, dateText(r.due_on)),
        h('td', {}, label('repayment_status', r.status)),
        h('td', { class: 'mono' }, r.slip_no),
        h(
          'td',
          { class: 'nowrap' },
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => void loadPart(ctx, detail, '返還金', () => benefitApi.repayment(r.repayment_id), (x) => detailView(ctx, x, changed)) }, '詳細'),
          ' ',
          pdfLink(repaymentNoticeUrl(r.repayment_id), '通知書・納付書', `repayment-notice-${r.repayment_id}`, '/repayments/{}/notice.pdf'),
        ),
      ),
    ),
  );
}

function detailView(ctx: PageContext, r: Repayment, changed: () => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const errors = fieldErrors(banner, {});
  const receipts = r.receipts ?? [];
  const cancel = h('button', { type: 'button', class: 'btn', id: 'repayment-cancel' }, '取消 (決定の誤り)');
  gate(cancel, 'POST', '/repayments/{}/cancel', '取消');
  cancel.addEventListener('click', async () => {
    const reason = window.prompt('取消の理由');
    if (!reason || !reason.trim()) return errors.show('取消の理由を入力してください', null);
    const x = await submitWith(ctx, cancel, { show: (m, f) => errors.show(writeFailureText(m), f) }, () => benefitApi.cancelRepayment(r.repayment_id, reason.trim()));
    if (!x || !ctx.isCurrent()) return;
    mount(banner, infoBanner(`返還ID ${x.repayment_id} を取り消しました`));
    changed();
  });
  return h(
    'section',
    { class: 'panel', id: `repayment-${r.repayment_id}`, 'data-status': r.status },
    h('h2', {}, `返還金 ${r.repayment_id}`, h('span', { class: 'sub' }, label('repayment_status', r.status))),
    h(
      'dl',
      { class: 'facts' },
      ([
        ['債務者', `${label('debtor_kind', r.debtor_kind)} ${r.debtor_name}${r.office_no ? ` (事業所 ${r.office_no})` : ''}`],
        ['理由', `${label('reason_kind', r.reason_kind)}: ${r.reason}`],
        ['元金', formatYen(r.principal)],
        ['加算金', formatYen(r.surcharge)],
        ['合計', formatYen(r.total)],
        ['納付済', formatYen(r.paid_total)],
        ['決定日', dateText(r.decided_on)],
        ['納期限', dateText(r.due_on)],
        ['納付書番号', r.slip_no],
        ['決定者', `${r.decided_by ?? ''} ${r.recorded_at ? formatTimestamp(r.recorded_at) : ''}`],
        ...(r.changed_by ? [['取消', `${r.changed_by} ${r.changed_at ? formatTimestamp(r.changed_at) : ''}`]] : []),
      ] as [string, Child][]).map(([k, v]) => h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v))),
    ),
    explanationLines(r.explanation).length ? [h('h3', {}, '決定の説明'), explanationPanel(r.explanation, `repayment-explanation-${r.repayment_id}`)] : null,
    h('h3', {}, '納付 (KY-19)'),
    receipts.length === 0
      ? empty('納付の記録はありません', 'repayment-receipts-empty')
      : table('repayment-receipts', ['納付日', '金額', 'ファイル', '行'], receipts.map((x) => h('tr', {}, h('td', {}, dateText(x.paid_on)), yen(x.amount), h('td', { class: 'mono' }, x.file_id ?? '—'), h('td', { class: 'num' }, x.line_no ?? '—')))),
    h('div', { class: 'form-actions' }, pdfLink(repaymentNoticeUrl(r.repayment_id), '決定通知書・納付書 (PDF)', undefined, '/repayments/{}/notice.pdf'), r.status === 'open' ? cancel : null),
    banner,
  );
}

function decideForm(ctx: PageContext, close: () => void, decided: (r: Repayment) => void): HTMLElement {
  const banner = h('div', { class: 'banner-slot' });
  const out = h('div', { class: 'banner-slot', id: 'repayment-result' });
  const debtor = selectField('repayment-debtor-kind', '債務者', [{ code: 'insured', label: '被保険者' }, { code: 'provider', label: '事業者' }], '', 'insured');
  const personId = textField('repayment-person', '宛名番号 (被保険者、事業者の場合は対象者があれば)', '1000000001');
  const office = textField('repayment-office', '事業所番号 (事業者)', '0170100011');
  const name = textField('repayment-name', '債務者名 (事業者。被保険者は空欄で本人の氏名)', '');
  const reasonKind = selectField('repayment-reason-kind', '理由', REASON_KINDS.map((k) => ({ code: k, label: label('reason_kind', k) })));
  const reason = textField('repayment-reason', '事実 (通知書に記載)', '例: 2026年9月分の請求に誤り');
  const principal = textField('repayment-principal', '元金 (円)', '12000');
  const decidedOn = textField('repayment-decided-on', '決定日', '2026-11-24', todayIso());
  const surchargeNote = h('p', { class: 'note', id: 'repayment-surcharge-note' });
  const showNote = () =>
    mount(surchargeNote, reasonKind.el.value === 'provider_fraud' ? '事業者の不正請求: 加算金 (法22条3項、規則ファイルの割合) が元金に加わります。決定後に金額を表示します。' : '加算金はありません (不正請求のときだけ)。');
  reasonKind.el.addEventListener('change', showNote);
  showNote();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'repayment-submit' }, '決定する');
  const errors = fieldErrors(banner, {
    debtor_kind: debtor.el, person_id: personId.el, office_no: office.el, debtor_name: name.el, reason_kind: reasonKind.el, reason: reason.el, principal: principal.el, decided_on: decidedOn.el,
  });
  return formPanel(
    'repayment-form',
    '返還金の決定 (KY-18)',
    close,
    h(
      'form',
      {
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const kind = debtor.el.value;
          const pid = personId.el.value.trim().normalize('NFKC');
          const off = office.el.value.trim().normalize('NFKC');
          if (kind === 'insured' && !pid) return errors.show('被保険者の宛名番号を入力してください', 'person_id');
          if (kind === 'provider' && !/^\d{10}$/.test(off)) return errors.show('事業所番号は10桁の数字で入力してください', 'office_no');
          if (kind === 'provider' && !name.el.value.trim()) return errors.show('事業者名を入力してください', 'debtor_name');
          if (!reasonKind.el.value) return errors.show('理由を選んでください', 'reason_kind');
          if (!reason.el.value.trim()) return errors.show('事実を入力してください', 'reason');
          const yenText = principal.el.value.trim().normalize('NFKC').replace(/[,円]/g, '');
          if (!/^\d+$/.test(yenText) || Number(yenText) <= 0) return errors.show('元金は1円以上の整数で入力してください', 'principal');
          const on = parseDateInput(decidedOn.el.value);
          if (!on) return errors.show('決定日を正しい日付で入力してください', 'decided_on');
          errors.clear();
          const r = await submitWith(ctx, submit, { show: (m, f) => errors.show(writeFailureText(m), f) }, () =>
            benefitApi.decideRepayment({
              debtor_kind: kind,
              person_id: pid || undefined,
              office_no: kind === 'provider' ? off : undefined,
              debtor_name: name.el.value.trim() || undefined,
              reason_kind: reasonKind.el.value,
              reason: reason.el.value.trim(),
              principal: Number(yenText),
              decided_on: on,
            }),
          );
          if (!r || !ctx.isCurrent()) return;
          mount(
            out,
            infoBanner(
              `決定しました: 返還ID ${r.repayment_id}・元金 ${formatYen(r.principal)}・加算金 ${formatYen(r.surcharge)}・合計 ${formatYen(r.total)}・納期限 ${r.due_on}・納付書番号 ${r.slip_no} `,
              pdfLink(repaymentNoticeUrl(r.repayment_id), '決定通知書・納付書 (PDF)', 'repayment-result-pdf', '/repayments/{}/notice.pdf'),
            ),
          );
          decided(r);
        },
      },
      banner,
      h('div', { class: 'form-grid' }, debtor.wrap, personId.wrap, office.wrap, name.wrap, reasonKind.wrap, reason.wrap, principal.wrap, decidedOn.wrap),
      surchargeNote,
      h('div', { class: 'form-actions' }, submit),
      out,
    ),
  );
}
