// The staff UI end to end against a running `kaigo serve` (scripts/e2e.sh starts one on a demo
// city): log in, find a person by kana prefix, read the person page (My Number masked), read
// the flow catalog (77 steps, each 実装済 or 未実装), log out; and a wrong password is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, newPage, shot, target, useBrowser } from './browser.mjs';

const skip = target.url ? false : 'KAIGO_E2E_URL is not set (run scripts/e2e.sh BINARY)';

describe('staff UI', { skip }, () => {
  const chromium = useBrowser();

  test('person journey: login, kana search, person page with masked My Number, 77 flows, logout', async () => {
    const page = await newPage(chromium.browser);
    await page.goto(`${target.url}/`);
    await page.locator('#login-user').waitFor();
    await shot(page, '01-login');

    await login(page, target.user, target.password);
    const header = page.getByTestId('current-user');
    await header.waitFor();
    assert.match(await header.innerText(), /ログアウト/);

    // 宛名検索 by kana prefix: every hit's カナ starts with it.
    await page.locator('#search-kana').fill(target.kana);
    await page.locator('#search-submit').click();
    const rows = page.locator('#search-table tbody tr');
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 0 && count <= 50, `rows: ${count}`);
    for (const kana of await page.locator('#search-table tbody tr td:nth-child(3)').allInnerTexts())
      assert.ok(kana.startsWith(target.kana), `${kana} does not start with ${target.kana}`);
    assert.match(page.url(), /#\/search\?kana=/);
    await shot(page, '02-search');

    // 個人ページ of the first hit.
    const first = rows.first();
    const personId = await first.getAttribute('data-person-id');
    const nameKanji = (await first.locator('td.name').innerText()).trim();
    await first.click();
    await page.locator('#person-identity').waitFor();
    assert.match(page.url(), new RegExp(`#/person/${personId}$`));
    const fact = async (key) => (await page.locator(`#person-identity [data-field="${key}"] dd`).innerText()).trim();
    assert.equal(await fact('person_id'), personId);
    assert.equal(await fact('name_kanji'), nameKanji);
    assert.ok((await fact('name_kana')).startsWith(target.kana));
    assert.match(await fact('birth_date'), /^(明治|大正|昭和|平成|令和)(元|\d+)年\d+月\d+日\s*\d{4}-\d{2}-\d{2}$/);
    assert.match(await fact('age'), /^\d+歳$/);
    assert.match(await fact('sex'), /^[男女]$/);
    assert.ok((await fact('address')).length > 0);
    assert.ok((await fact('household_id')).length > 0);
    assert.ok((await fact('relation')).length > 0);
    // 個人番号: masked to the last four digits, never the full twelve on first view.
    const myNumber = page.locator('#my-number');
    if (await myNumber.count()) assert.match((await myNumber.innerText()).trim(), /^\*{8}\d{4}$/);
    else assert.equal(await fact('my_number'), '登録なし');
    // The person is a member of their own household table.
    assert.equal(await page.locator(`#household-table a[href="#/person/${personId}"]`).first().count(), 1);
    await shot(page, '03-person', true);

    // 被保険者証 (SK-17): an insured person's card is a PDF the counter can print; the demo user
    // holds 資格担当. Someone without an 被保険者番号 has no card link.
    const insured = !(await fact('insured_no')).startsWith('未付番');
    const cardLink = page.locator('#insurance-card');
    assert.equal(await cardLink.count(), insured ? 1 : 0, 'a card link exactly for insured people');
    if (insured) {
      const pdf = await page.request.get(new URL(await cardLink.getAttribute('href'), page.url()).toString());
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.ok((await pdf.body()).subarray(0, 4).toString() === '%PDF');
    }

    // When the server lets this user see the number, the button shows all twelve digits.
    const showButton = page.locator('#show-my-number');
    if (await showButton.count()) {
      await showButton.click();
      await page.locator('#my-number', { hasText: /^\d{12}$/ }).waitFor();
      assert.equal(await showButton.count(), 0);
      assert.doesNotMatch(page.url(), /show_my_number/);
      await shot(page, '04-person-my-number');
    }

    // 連携フロー一覧: all 77 steps, grouped by section, each saying plainly whether it is built.
    await page.getByRole('link', { name: '連携フロー一覧' }).click();
    const flowRows = page.locator('tr[data-flow-id]');
    await flowRows.first().waitFor();
    assert.equal(await flowRows.count(), 77);
    const sections = await page.locator('.flow-group h2').allInnerTexts();
    assert.deepEqual(
      sections.map((s) => s.replace(/\s+/g, '')),
      ['資格(SK)20件', '賦課(FK)16件', '認定(NT)17件', '給付(KY)24件'],
    );
    const notYet = await page.locator('tr[data-state="not_yet"] .badge').allInnerTexts();
    const implemented = await page.locator('tr[data-state="implemented"] .badge').allInnerTexts();
    assert.equal(notYet.length + implemented.length, 77, 'every row is implemented or not_yet');
    assert.ok(notYet.every((t) => t === '未実装'));
    assert.ok(implemented.every((t) => t === '実装済'));
    assert.match(await page.locator('#flow-summary').innerText(), new RegExp(`未実装 ${notYet.length}件`));
    await shot(page, '05-flows');
    await shot(page, '05-flows-full', true);

    // Filter: only the 未実装 rows remain.
    await page.locator('#flow-state').selectOption('not_yet');
    assert.equal(await flowRows.count(), notYet.length);
    assert.match(page.url(), /#\/flows\?state=not_yet$/);

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.locator('#login-user').waitFor();
    // The session is gone on the server too: a reload lands on the login page again.
    await page.reload();
    await page.locator('#login-user').waitFor();
    await page.context().close();
  });

  test('search says 該当者はいません for no match and refuses an impossible birth date', async () => {
    const page = await newPage(chromium.browser);
    await login(page, target.user, target.password);
    await page.locator('#search-kana').waitFor();
    // ヲ begins no Japanese family name, so nothing can match.
    await page.locator('#search-kana').fill('ヲヲヲヲ');
    await page.locator('#search-submit').click();
    assert.equal((await page.locator('#search-empty').innerText()).trim(), '該当者はいません');
    await shot(page, '07-search-empty');
    // 平成32年 does not exist (令和 began in 平成31年): the form says so and marks the field.
    await page.locator('#search-kana').fill('');
    await page.locator('#search-birth_date').fill('H32.1.1');
    await page.locator('#search-submit').click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /生年月日/);
    assert.match((await page.locator('#search-birth_date').getAttribute('class')) ?? '', /invalid/);
    assert.equal(await page.locator('#search-empty').count(), 0);
    await page.context().close();
  });

  test('wrong password shows ユーザーIDまたはパスワードが違います', async () => {
    const page = await newPage(chromium.browser);
    await login(page, target.user, `${target.password}-wrong`);
    const banner = page.getByRole('alert');
    await banner.waitFor();
    assert.equal((await banner.innerText()).trim(), 'ユーザーIDまたはパスワードが違います');
    assert.equal(await page.locator('#login-password').inputValue(), '');
    await shot(page, '06-login-wrong-password');
    await page.context().close();
  });
});
