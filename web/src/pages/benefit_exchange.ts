// 国保連 月次連携 (#/benefit/kokuhoren): KY-03 受給者異動連絡票 — 「送信ファイルを作成」 builds the
// draft of the next file with its pre-send checks; the check list shows every held record (cause,
// field, message: a held record stays out of the file and is rebuilt next time); 「送信する」 sends
// the draft, 「破棄」 drops it —; the files sent (with the CSV as sent); KY-04 給付実績 files
// received: applied (with their counts) or rejected (line, field, message). On a demo server the
// 国保連 simulator's bar lets it live N days (it answers the files and sends the month's KY-04).
import { benefitApi, recipientFileCsvUrl, type InboundFile, type RecipientFile } from '../api_benefit';
import { h, mount, type Child } from '../dom';
import { formatTimestamp } from '../format';
import type { PageContext } from './context';
import { fieldErrors, infoBanner, submitWith } from './forms';
import { label, runSummary } from './benefit_format';
import { dateText, empty, gate, kokuhorenSimulator, loadPart, pdfLink, table } from './benefit_parts';
import { writeFailureText } from './benefit_person';

export function renderBenefitExchange(ctx: PageContext): void {
  const sim = h('div', { id: 'kokuhoren-sim-slot' });
  const draftBanner = h('div', { class: 'banner-slot', id: 'recipient-draft-result' });
  const draft = h('div', { id: 'recipient-draft' });
  const files = h('div', { id: 'recipient-files' }, h('p', { class: 'muted' }, '読み込み中…'));
  const inbound = h('div', { id: 'inbound-files' }, h('p', { class: 'muted' }, '読み込み中…'));
  const inboundDetail = h('div', { id: 'inbound-file-detail' });
  const build = h('button', { type: 'button', class: 'btn btn-primary', id: 'recipient-build' }, '送信ファイルを作成 (KY-03)');
  const errors = fieldErrors(draftBanner, {});

  const showDraft = (f: RecipientFile) => mount(draft, draftView(ctx, f, () => void loadFiles()));

  const loadFiles = () =>
    loadPart(ctx, files, '受給者異動連絡票 (KY-03)', () => benefitApi.recipientFiles(), (items) => {
      const open = items.find((f) => f.status === 'draft');
      if (open && !draft.hasChildNodes()) void benefitApi.recipientFile(open.file_id).then((f) => ctx.isCurrent() && showDraft(f), () => undefined);
      return items.length === 0
        ? empty('作成したファイルはありません', 'recipient-files-empty')
        : table(
            'recipient-file-table',
            ['ファイルID', '種別', '状態', '件数', '保留', '作成', '送信', '連携', ''],
            items.map((f) =>
              h(
                'tr',
                { 'data-file-id': f.file_id, 'data-status': f.status },
                h('td', { class: 'mono' }, String(f.file_id)),
                h('td', {}, f.kind === 'correction' ? '訂正' : '定期'),
                h('td', {}, label('file_status', f.status)),
                h('td', { class: 'num' }, String(f.record_count)),
                h('td', { class: 'num' }, String(f.held_count)),
                h('td', { class: 'mono' }, `${formatTimestamp(f.built_at)} ${f.built_by}`),
                h('td', { class: 'mono' }, f.sent_at ? `${formatTimestamp(f.sent_at)} ${f.sent_by ?? ''}` : '—'),
                h('td', { class: 'mono' }, f.exchange_id ? `連携 #${f.exchange_id}` : '—'),
                h(
                  'td',
                  { class: 'nowrap' },
                  h('button', { type: 'button', class: 'btn btn-small', onclick: () => void benefitApi.recipientFile(f.file_id).then((x) => ctx.isCurrent() && showDraft(x), () => undefined) }, '内容'),
                  f.status === 'sent' ? [' ', pdfLink(recipientFileCsvUrl(f.file_id), 'CSV', undefined, '/benefit/recipient-files/{}/file.csv')] : null,
                ),
              ),
            ),
          );
    }).then((ok) => {
      build.hidden = !ok;
    });

  const loadInbound = () =>
    loadPart(ctx, inbound, '給付実績 (KY-04)', () => benefitApi.inboundFiles('KY-04'), (items) =>
      items.length === 0
        ? empty('受信したファイルはありません', 'inbound-files-empty')
        : table(
            'inbound-file-table',
            ['ファイルID', '受信日時', '状態', '件数', '内訳', '連携', ''],
            items.map((f) =>
              h(
                'tr',
                { 'data-file-id': f.file_id, 'data-status': f.status, class: f.status === 'rejected' ? 'bad' : null },
                h('td', { class: 'mono' }, String(f.file_id)),
                h('td', { class: 'mono' }, formatTimestamp(f.received_at)),
                h('td', {}, h('span', { class: `badge ${f.status === 'applied' ? 'badge-implemented' : 'badge-error'}` }, label('file_status', f.status))),
                h('td', { class: 'num' }, String(f.record_count)),
                h('td', {}, summaryText(f.summary)),
                h('td', { class: 'mono' }, f.exchange_id ? `連携 #${f.exchange_id}` : '—'),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn btn-small',
                      'data-open-file': f.file_id,
                      onclick: () => void loadPart(ctx, inboundDetail, '受信ファイル', () => benefitApi.inboundFile(f.file_id), (x) => inboundView(x)),
                    },
                    f.status === 'rejected' ? 'エラーを見る' : '詳細',
                  ),
                ),
              ),
            ),
          ),
    );

  build.addEventListener('click', async () => {
    errors.clear();
    const f = await submitWith(ctx, build, { show: (m, fld) => errors.show(writeFailureText(m), fld) }, () => benefitApi.buildRecipientFile());
    if (!f || !ctx.isCurrent()) return;
    if (!('file_id' in f)) {
      mount(draftBanner, infoBanner(`送る異動はありません${f.skipped ? ` (対象外 ${f.skipped}件)` : ''}`));
      mount(draft);
      return;
    }
    const replaced = f.discarded_file_id ? `・前の下書き ${f.discarded_file_id} は破棄` : '';
    mount(draftBanner, infoBanner(`下書きを作成しました: ファイルID ${f.file_id}・送信 ${f.record_count}件・保留 ${f.held_count}件${replaced}`));
    showDraft(f);
    void loadFiles();
  });

  gate(build, 'POST', '/benefit/recipient-files', '送信ファイルの作成');
  mount(
    ctx.main,
    h('div', { class: 'page-head' }, h('h1', { class: 'page-title' }, '国保連 月次連携')),
    sim,
    h('section', { class: 'panel', id: 'recipient-section' }, h('h2', {}, '受給者異動連絡票 (KY-03)'), h('div', { class: 'action-bar' }, build), draftBanner, draft, h('h3', {}, '作成・送信したファイル'), files),
    h(
      'section',
      { class: 'panel', id: 'inbound-section' },
      h('h2', {}, '給付実績の受信 (KY-04)', h('button', { type: 'button', class: 'btn btn-small', id: 'inbound-refresh', onclick: () => void loadInbound() }, '更新')),
      inbound,
      inboundDetail,
    ),
  );
  kokuhorenSimulator(ctx, sim, () => {
    void loadFiles();
    void loadInbound();
  });
  void loadFiles();
  void loadInbound();
}

/** The draft (or any file): the pre-send check list of held records, the records going out, 送信 / 破棄 while a draft. */
function draftView(ctx: PageContext, f: RecipientFile, changed: () => void): Child {
  const records = f.records ?? [];
  const held = f.checks ?? records.filter((r) => r.check_status === 'held');
  const ok = records.filter((r) => r.check_status !== 'held');
  const banner = h('div', { class: 'banner-slot', id: 'recipient-send-result' });
  const errors = fieldErrors(banner, {});
  const send = h('button', { type: 'button', class: 'btn btn-primary', id: 'recipient-send' }, `送信する (${f.record_count}件)`);
  const discard = h('button', { type: 'button', class: 'btn', id: 'recipient-discard' }, '破棄');
  gate(send, 'POST', '/benefit/recipient-files/{}/send', '送信');
  gate(discard, 'POST', '/benefit/recipient-files/{}/discard', '破棄');
  send.addEventListener('click', async () => {
    const r = await submitWith(ctx, send, { show: (m, fld) => errors.show(writeFailureText(m), fld) }, () => benefitApi.sendRecipientFile(f.file_id));
    if (!r || !ctx.isCurrent()) return;
    mount(banner, infoBanner(`送信しました: ファイルID ${r.file_id}・${r.record_count}件${r.exchange_id ? `・連携 #${r.exchange_id}` : ''}`));
    send.hidden = true;
    discard.hidden = true;
    changed();
  });
  discard.addEventListener('click', async () => {
    const r = await submitWith(ctx, discard, { show: (m, fld) => errors.show(writeFailureText(m), fld) }, () => benefitApi.discardRecipientFile(f.file_id));
    if (!r || !ctx.isCurrent()) return;
    mount(banner, infoBanner(`ファイルID ${r.file_id} を破棄しました`));
    send.hidden = true;
    discard.hidden = true;
    changed();
  });
  return h(
    'div',
    { class: 'subform', id: 'recipient-file', 'data-file-id': f.file_id, 'data-status': f.status },
    h('h3', {}, `ファイルID ${f.file_id} (${label('file_status', f.status)})`, h('span', { class: 'sub' }, `様式 ${f.layout_version}・送信 ${f.record_count}件・保留 ${f.held_count}件`)),
    h('h4', {}, '送信前チェック'),
    held.length === 0
      ? h('p', { class: 'ok', id: 'recipient-checks-ok' }, '保留となった記録はありません')
      : table(
          'recipient-check-list',
          ['記録ID', '被保険者番号', '異動区分', '異動日', '原因', '項目', '内容'],
          held.flatMap((r) =>
            (r.check_causes.length ? r.check_causes : [{ cause: '', field: '', message: '' }]).map((c) =>
              h(
                'tr',
                { 'data-record-id': r.record_id, class: 'bad' },
                h('td', { class: 'mono' }, String(r.record_id)),
                h('td', { class: 'mono' }, h('a', { href: `#/person/${encodeURIComponent(r.person_id)}` }, r.insured_no)),
                h('td', {}, label('change_kind', r.change_kind)),
                h('td', { class: 'nowrap' }, dateText(r.change_date)),
                h('td', { class: 'mono' }, c.cause),
                h('td', {}, c.field),
                h('td', {}, c.message),
              ),
            ),
          ),
        ),
    h('h4', {}, `送信する記録 ${ok.length}件`),
    ok.length === 0
      ? empty('送信する記録はありません')
      : table(
          'recipient-record-table',
          ['記録ID', '被保険者番号', '異動区分', '訂正', '異動日'],
          ok.map((r) =>
            h(
              'tr',
              { 'data-record-id': r.record_id },
              h('td', { class: 'mono' }, String(r.record_id)),
              h('td', { class: 'mono' }, h('a', { href: `#/person/${encodeURIComponent(r.person_id)}` }, r.insured_no)),
              h('td', {}, label('change_kind', r.change_kind)),
              h('td', {}, label('correction', r.correction)),
              h('td', { class: 'nowrap' }, dateText(r.change_date)),
            ),
          ),
        ),
    f.status === 'draft' ? h('div', { class: 'form-actions' }, send, discard) : null,
    banner,
  );
}

function inboundView(f: InboundFile): Child {
  const errs = f.errors ?? [];
  return h(
    'div',
    { class: 'subform', id: `inbound-file-${f.file_id}`, 'data-status': f.status },
    h('h3', {}, `受信ファイル ${f.file_id} (${label('file_status', f.status)})`, h('span', { class: 'sub' }, `${f.flow_id}・様式 ${f.layout_version ?? '—'}・${f.record_count}件`)),
    h('p', {}, summaryText(f.summary)),
    errs.length === 0
      ? f.status === 'rejected'
        ? h('p', { class: 'muted' }, 'エラーの記録はありません')
        : null
      : table(
          'inbound-error-table',
          ['行', '項目', 'エラー'],
          errs.map((e) => {
            const line = e.line ?? e.line_no ?? 0;
            return h('tr', {}, h('td', { class: 'num' }, line === 0 ? 'ファイル全体' : `${line}行目`), h('td', {}, e.field || '—'), h('td', {}, e.message));
          }),
        ),
  );
}

/** An inbound file's counts (stored as JSON text: new, corrected, cancelled, unchanged, the sums) in one line. */
function summaryText(summary: unknown): string {
  if (summary === null || summary === undefined) return '';
  if (typeof summary === 'string') {
    try {
      return summaryText(JSON.parse(summary));
    } catch {
      return summary;
    }
  }
  return typeof summary === 'object' ? runSummary(summary as Record<string, unknown>) : String(summary);
}
