// 番号連携 end to end against a running `kaigo serve` whose background worker polls the
// 中間サーバー simulator (scripts/e2e.sh starts it with --worker-interval-ms 1000): a new 情報照会
// from the person page appears in the person's inquiries and in the 照会キュー, leaves the open
// states within ~30 s, shows its answer on its own page, and is listed in the person's
// 情報提供等記録 (and its CSV). A second inquiry is cancelled with a reason if it is still open.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, newPage, shot, target, useBrowser } from './browser.mjs';

const skip = target.url ? false : 'KAIGO_E2E_URL is not set (run scripts/e2e.sh BINARY)';

const OPEN = new Set(['queued', 'submitted', 'pending']);
const FINAL = new Set(['provided', 'not_found', 'error', 'timed_out', 'cancelled']);
const WAIT_MS = 30_000;

/** Log in, find somebody by the kana prefix and open their page; returns the person id. */
async function openSomePerson(page) {
  await login(page, target.user, target.password);
  await page.locator('#search-kana').fill(target.kana);
  await page.locator('#search-submit').click();
  const first = page.locator('#search-table tbody tr').first();
  await first.waitFor();
  const personId = await first.getAttribute('data-person-id');
  await first.click();
  await page.locator('#person-identity').waitFor();
  return personId;
}

/** Wait until the 番号連携 form can be used; a banner in its place (403, no route) fails with its words. */
async function formReady(page) {
  await page.locator('#new-inquiry-submit:not([disabled]), #number-link [role="alert"]').first().waitFor();
  const alert = page.locator('#number-link [role="alert"]');
  if (await alert.count()) assert.fail(`番号連携 section shows: ${(await alert.innerText()).trim()}`);
}

/** Submit a 情報照会 of `kind` from the person page (form ready); returns the new inquiry's id. */
async function submitInquiry(page, kind, purpose) {
  await page.locator('#new-inquiry-submit:not([disabled])').waitFor();
  await page.locator('#new-inquiry-kind').selectOption(kind);
  await page.locator('#new-inquiry-purpose').fill(purpose);
  await page.locator('#new-inquiry-submit').click();
  const link = page.locator('#new-inquiry-link');
  await link.waitFor();
  return link.getAttribute('data-inquiry-id');
}

async function detailStatus(page) {
  const badge = page.locator('#inquiry-facts [data-field="status"] .badge');
  await badge.waitFor();
  return badge.getAttribute('data-status');
}

describe('番号連携 照会', { skip }, () => {
  const chromium = useBrowser();

  test('inquiry from the person page: person list, queue, answer, 情報提供等記録, CSV; cancel an open one', async () => {
    const page = await newPage(chromium.browser);
    const personId = await openSomePerson(page);

    // The form: kinds from the server; a kind that is not tax-like starts with today as its period.
    await page.locator('#number-link').scrollIntoViewIfNeeded();
    await formReady(page);
    await page.locator('#new-inquiry-kind').selectOption('pref_public_assistance');
    const from = await page.locator('#new-inquiry-from').inputValue();
    const to = await page.locator('#new-inquiry-to').inputValue();
    assert.match(from, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(from, to, 'as_of_today kinds ask about one day');
    // Without a purpose the form refuses and marks the field.
    await page.locator('#new-inquiry-purpose').fill('');
    await page.locator('#new-inquiry-submit').click();
    assert.match(await page.getByRole('alert').first().innerText(), /照会目的/);
    assert.match((await page.locator('#new-inquiry-purpose').getAttribute('class')) ?? '', /invalid/);

    const inquiryId = await submitInquiry(page, 'pref_public_assistance', '保険料段階の判定 (生活保護の確認)');
    assert.match(inquiryId ?? '', /^\d+$/);
    assert.match(await page.locator('#new-inquiry-result').innerText(), new RegExp(`照会ID ${inquiryId}.*状態 `));
    const personRow = page.locator(`#person-inquiry-table tr[data-inquiry-id="${inquiryId}"]`);
    await personRow.waitFor();
    assert.match(await personRow.innerText(), /生活保護/);
    await shot(page, '10-person-inquiry-submitted', true);

    // The 照会キュー lists it; the chips carry counts per state.
    await page.getByRole('link', { name: '番号連携 照会' }).click();
    const queueRow = page.locator(`#inquiry-table tr[data-inquiry-id="${inquiryId}"]`);
    await queueRow.waitFor();
    assert.equal(await queueRow.getAttribute('data-person-id'), personId);
    assert.equal(await page.locator('#inquiry-counts .chip').count(), 10, 'すべて + nine states');
    await shot(page, '11-inquiry-queue');

    // Its page, reloaded until the worker has moved it out of 送信待ち/照会受付済/回答待ち.
    await queueRow.click();
    await page.waitForURL(new RegExp(`#/inquiries/${inquiryId}$`));
    let status = await detailStatus(page);
    const deadline = Date.now() + WAIT_MS;
    while (OPEN.has(status) && Date.now() < deadline) {
      await page.waitForTimeout(1000);
      await page.reload();
      status = await detailStatus(page);
    }
    assert.ok(!OPEN.has(status), `inquiry ${inquiryId} still ${status} after ${WAIT_MS / 1000} s`);
    assert.ok(FINAL.has(status) || status === 'manual_pending', `unexpected state ${status}`);
    const fact = async (key) => (await page.locator(`#inquiry-facts [data-field="${key}"] dd`).innerText()).trim();
    assert.equal(await fact('person_id'), personId);
    assert.match(await fact('kind'), /pref_public_assistance/);
    const processingNo = await fact('processing_no');
    if (status === 'provided') await page.locator('#answer-items, #answer-null-reasons').first().waitFor();
    if (status === 'error') await page.locator('#inquiry-error').waitFor();
    // 取消 only while open, 再照会 only after an error or a time-out.
    assert.equal(await page.locator('#inquiry-cancel').count(), FINAL.has(status) ? 0 : 1);
    assert.equal(await page.locator('#inquiry-retry').count(), status === 'error' || status === 'timed_out' ? 1 : 0);
    await shot(page, '12-inquiry-detail', true);

    // 情報提供等記録 on the person page lists the inquiry as a 照会 (生活保護 records are 不開示 by the
    // city's setting: `withheld` in config/codes/inquiry_kinds.tsv). The row is found by its 処理通番
    // when the server sends one with the record, else as the person's one withheld 照会 (the
    // data dir is new, so this test made it).
    await page.goto(`${target.url}/#/person/${personId}`);
    await page.reload();
    const records = page.locator('#exchange-record-table tbody tr');
    await records.first().waitFor();
    const hasNo = processingNo !== '未取得' && processingNo !== '';
    const byNo = page.locator(`#exchange-record-table tr[data-processing-no="${processingNo}"]`);
    const recordHasNo = hasNo && (await byNo.count()) > 0;
    if (hasNo && !recordHasNo) console.log(`note: no 情報提供等記録 row carries 処理通番 ${processingNo} (processing_no not sent?)`);
    const record = recordHasNo ? byNo : page.locator('#exchange-record-table tr[data-kind="inquiry"][data-disclosure="withheld"]');
    assert.ok((await record.count()) >= 1, 'the inquiry is in the 情報提供等記録');
    const cells = await record.first().locator('td').allInnerTexts();
    assert.equal(cells[1].trim(), '照会');
    assert.equal(cells[7].trim(), '不開示', 'pref_public_assistance is withheld (config/codes/inquiry_kinds.tsv)');
    await page.locator('#exchange-log').scrollIntoViewIfNeeded();
    await shot(page, '13-exchange-records', true);

    // The CSV download: same session, text/csv, a header line and the records.
    const href = await page.locator('#exchange-records-csv').getAttribute('href');
    const csv = await page.request.get(new URL(href, page.url()).toString());
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
    const csvText = await csv.text();
    assert.ok(csvText.trim().split(/\r?\n/).length >= 2, 'header and at least one record');
    if (recordHasNo) assert.ok(csvText.includes(processingNo), 'the CSV lists the inquiry');

    // A second inquiry: cancelled with a reason if the worker has not answered it yet; otherwise
    // (the simulator answers at once) it simply offers no 取消.
    await page.locator('#number-link').scrollIntoViewIfNeeded();
    const secondId = await submitInquiry(page, 'pref_public_assistance', '取消の確認');
    await page.goto(`${target.url}/#/inquiries/${secondId}`);
    const before = await detailStatus(page);
    if (!FINAL.has(before) && (await page.locator('#inquiry-cancel').count())) {
      await page.locator('#inquiry-cancel').click();
      await page.locator('#cancel-confirm').click();
      assert.match(await page.getByRole('alert').innerText(), /理由/);
      await page.locator('#cancel-reason').fill('e2e: 申請の取下げ');
      await page.locator('#cancel-confirm').click();
      // Cancelled — or, when the answer won the race (409: answered already, the next poll fetches
      // it), final after the background worker's next poll.
      await page.locator('#inquiry-cancel').waitFor({ state: 'detached' });
      let after = await detailStatus(page);
      for (let i = 0; i < 30 && !FINAL.has(after); i++) {
        await page.waitForTimeout(1000);
        await page.reload();
        after = await detailStatus(page);
      }
      assert.ok(FINAL.has(after), `after 取消: ${after}`);
      if (after === 'cancelled') assert.match(await page.locator('#inquiry-notice').innerText(), /取り消しました/);
      await shot(page, '14-inquiry-cancelled', true);
    } else {
      assert.equal(await page.locator('#inquiry-cancel').count(), 0);
    }
    await page.context().close();
  });
});
