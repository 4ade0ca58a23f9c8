// 賦課 end to end, as a 賦課担当 (premium_staff) user, against a running `kaigo serve`
// (scripts/e2e.sh; the background job works an opened 本算定 within a second) or the mock:
//   1. 本算定 of the current fiscal year started from the runs page, its progress shown until done;
//      a category-1 person's page then shows the 段階 and why (the explanation in reading order);
//      「再計算」 finds nothing changed and records nothing.
//   2. The table in force, and the what-if: a proposed next-period table read from a file, side by
//      side with the current one; a broken table is refused with the JSON path at fault.
// The user: KAIGO_E2E_PREMIUM_USER / KAIGO_E2E_PREMIUM_PASSWORD when set (the mock: fuka /
// fuka-pass), else created through POST /api/v1/users by KAIGO_E2E_USER (the demo server's
// `demo` holds every role, administrator included).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, newPage, shot, shotsDir, target, useBrowser } from './browser.mjs';

const skip = target.url ? false : 'KAIGO_E2E_URL is not set (run scripts/e2e.sh BINARY)';
const RUN_WAIT_MS = 120_000;
const TABLE_FILE = new URL('../../config/rules/premium/fy2024-2026.json', import.meta.url);

const fiscalYear = (d = new Date()) => (d.getMonth() + 1 >= 4 ? d.getFullYear() : d.getFullYear() - 1);
const yen = (n) => `${n.toLocaleString('ja-JP')}円`;

/** GET /api/v1… with the page's session; fails with the server's words on a non-2xx. */
async function apiGet(page, path) {
  const res = await page.request.get(`${target.url}/api/v1${path}`);
  assert.ok(res.ok(), `GET ${path} → ${res.status()} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

/** A premium_staff login: from the environment, or created once by the admin user. */
async function premiumUser(browser) {
  if (process.env.KAIGO_E2E_PREMIUM_USER)
    return { user: process.env.KAIGO_E2E_PREMIUM_USER, password: process.env.KAIGO_E2E_PREMIUM_PASSWORD ?? '' };
  const creds = { user: 'e2e-fuka', password: 'e2e-fuka-pass-1234' };
  const admin = await browser.newContext();
  try {
    const me = await admin.request.post(`${target.url}/api/v1/login`, { data: { user_id: target.user, password: target.password } });
    assert.ok(me.ok(), `login as ${target.user} → ${me.status()}`);
    const { csrf_token: csrf, roles } = await me.json();
    assert.ok(roles.includes('administrator'), `${target.user} cannot create users; set KAIGO_E2E_PREMIUM_USER/PASSWORD`);
    const made = await admin.request.post(`${target.url}/api/v1/users`, {
      headers: { 'X-CSRF-Token': csrf },
      data: { user_id: creds.user, display_name: '賦課 担当 (e2e)', password: creds.password, roles: ['premium_staff'] },
    });
    // 409: made by an earlier run against the same server, with the same password.
    assert.ok(made.status() === 201 || made.status() === 409, `POST /users → ${made.status()} ${await made.text()}`);
    await admin.request.post(`${target.url}/api/v1/logout`, { headers: { 'X-CSRF-Token': csrf } });
  } finally {
    await admin.close();
  }
  return creds;
}

// Katakana in 五十音 order. The other browser tests, running at the same time, change people of
// the environment's kana prefix (an inquiry answered, a 職権 転出), so that prefix comes last.
const KATAKANA = Array.from({ length: 0x30f3 - 0x30a2 + 1 }, (_, i) => String.fromCharCode(0x30a2 + i));

/** A person whose current assessment of `fy` puts them in a stage (insured in the year, stage ≥ 1). */
async function findAssessedPerson(page, fy) {
  for (const kana of [...KATAKANA.filter((k) => k !== target.kana), target.kana]) {
    const { items } = await apiGet(page, `/persons?kana=${encodeURIComponent(kana)}&limit=50`);
    for (const p of items.filter((x) => x.insured_no)) {
      const { assessments } = await apiGet(page, `/persons/${p.person_id}/premium/assessments`);
      const a = assessments.find((x) => x.fiscal_year === fy && x.is_current && x.stage > 0);
      if (a) return { personId: p.person_id, assessment: a, count: assessments.length };
    }
  }
  return null;
}

describe('賦課', { skip }, () => {
  const chromium = useBrowser();

  test('FK_11 premium journey: 本算定 from the runs page with its progress → a category-1 person: 段階 and why → 再計算 変更なし', async () => {
    const { user, password } = await premiumUser(chromium.browser);
    const page = await newPage(chromium.browser);
    await login(page, user, password);
    await page.getByTestId('current-user').waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /賦課担当/);
    const fy = fiscalYear();

    // 本算定 of the current fiscal year, from the 賦課 menu.
    await page.getByRole('link', { name: '本算定・異動賦課' }).click();
    await page.locator('#premium-run-table, #premium-runs-empty').first().waitFor();
    assert.equal(await page.locator('#run-fiscal-year').inputValue(), String(fy), 'the current fiscal year is chosen');
    await page.locator('#premium-run-annual').click();
    await page.locator('#premium-run-result [role="status"], [role="alert"]').first().waitFor();
    const alert = page.locator('[role="alert"]');
    if (await alert.count()) assert.fail(`本算定: ${await alert.first().innerText()}`);

    // The run's row: a progress bar with done / total, fetched again every second until 完了.
    const row = page.locator(`#premium-run-table tr[data-job="premium_annual"][data-run-key="${fy}"]`);
    await row.waitFor();
    assert.equal(await row.locator('progress').count(), 1, 'a progress bar');
    await shot(page, '30-premium-run-started');
    const seen = new Set();
    const deadline = Date.now() + RUN_WAIT_MS;
    for (;;) {
      const text = await row.locator('.progress-text').innerText();
      seen.add(text);
      if ((await row.getAttribute('data-status')) === 'done') break;
      assert.ok(Date.now() < deadline, `本算定 not done after ${RUN_WAIT_MS / 1000} s (${text})`);
      await page.waitForTimeout(250);
    }
    const final = /^([\d,]+) \/ ([\d,]+)人 \((\d+)%\)$/.exec(await row.locator('.progress-text').innerText());
    assert.ok(final, 'progress as done / total人 (n%)');
    assert.equal(final[1], final[2], 'done = total once 完了');
    assert.ok(Number(final[2].replace(/,/g, '')) > 0, 'the run handled somebody');
    assert.equal(final[3], '100');
    assert.match(await row.innerText(), /完了/);
    console.log(`本算定 ${fy}: progress seen ${[...seen].join(' → ')}`);
    await shot(page, '31-premium-run-done');

    // A category-1 person assessed by the run: their page shows the stage and why.
    const found = await findAssessedPerson(page, fy);
    assert.ok(found, `nobody has a current ${fy} assessment with a stage`);
    const { personId, assessment: a } = found;
    await page.goto(`${target.url}/#/person/${personId}`);
    const year = page.locator(`#premium-${fy}`);
    await year.waitFor();
    assert.equal((await year.getByTestId('premium-stage').innerText()).trim(), a.stage_label);
    assert.match(await year.locator('[data-field="amount"] dd').innerText(), new RegExp(yen(a.amount)));
    assert.match(await year.locator('[data-field="base_date"] dd').innerText(), new RegExp(a.base_date));
    const explanation = year.locator(`#premium-explanation-${fy}`);
    assert.equal(await explanation.locator('li').count(), a.explanation.length, 'every explanation line, in order');
    const labels = await explanation.locator('li .ex-label').allInnerTexts();
    assert.deepEqual(labels, a.explanation.map((l) => l.label));
    assert.equal(labels[0], '賦課基準日', 'the explanation starts at the base date');
    assert.match(await explanation.locator('li[data-label="賦課基準日"] .ex-text').innerText(), new RegExp(a.base_date));
    assert.match(await explanation.locator('li[data-label="該当段階"] .ex-text').innerText(), new RegExp(`^${a.stage_label}`));
    assert.match(await explanation.locator('li[data-label="保険料"] .ex-text').innerText(), new RegExp(`${fy}年度 ${a.amount.toLocaleString('ja-JP')}円`));
    assert.ok(await explanation.locator('li[data-label="保険料"]').isVisible());
    // The inputs name their sources; the history has the run's revision.
    assert.ok((await year.locator(`#premium-inputs-${fy} tr[data-input="tax"]`).count()) === 1, 'the tax input row');
    assert.ok((await year.locator(`#premium-history-${fy} tr[data-revision="${a.revision}"]`).count()) === 1, 'the current revision in the history');
    // 徴収: the block is there exactly when the server has a plan for the year, with its status.
    const collection = await apiGet(page, `/persons/${personId}/premium/collection`);
    const planned = collection.years.find((y) => y.fiscal_year === fy);
    const block = year.locator(`#premium-collection-${fy}`);
    if (planned) {
      assert.equal(await block.getAttribute('data-deduction-status'), planned.deduction_status);
      assert.equal(await block.locator(`#premium-instalments-${fy} tbody tr`).count(), planned.instalments.length);
      console.log(`徴収 ${fy}: ${planned.deduction_status}, ${planned.instalments.length} instalments`);
    } else {
      assert.equal(await block.count(), 0, 'no 徴収 block without a plan');
      console.log(`徴収 ${fy}: not planned yet`);
    }
    await year.scrollIntoViewIfNeeded();
    await page.locator('#premium').screenshot({ path: join(shotsDir, '32-person-premium.png') });

    // 再計算: the same inputs give the same result — 変更なし, and no revision is added.
    await page.locator('#premium-fiscal-year').selectOption(String(fy));
    await page.locator('#premium-assess').click();
    const outcome = page.locator('#premium-outcome [role="status"], #premium-actions [role="alert"]').first();
    await outcome.waitFor();
    const outcomeText = await outcome.innerText();
    assert.match(outcomeText, /変更なし/, outcomeText);
    assert.equal(await page.locator('#premium-outcome [data-outcome]').getAttribute('data-outcome'), 'unchanged');
    const after = await apiGet(page, `/persons/${personId}/premium/assessments`);
    assert.equal(after.assessments.length, found.count, 'no revision recorded');
    await page.locator('#premium').screenshot({ path: join(shotsDir, '33-premium-recalculated-unchanged.png') });
    await page.context().close();
  });

  test('premium table and what-if: the table in force; a proposed table side by side; a broken one names its JSON path', async () => {
    const { user, password } = await premiumUser(chromium.browser);
    const page = await newPage(chromium.browser);
    await login(page, user, password);
    await page.getByTestId('current-user').waitFor();
    const fy = fiscalYear();

    await page.getByRole('link', { name: '保険料段階表' }).click();
    await page.locator('#premium-stage-table, [role="alert"]').first().waitFor();
    const table = await apiGet(page, `/premium/table?fiscal_year=${fy}`);
    assert.equal(await page.locator('#premium-stage-table tbody tr').count(), table.stages.length);
    assert.match(await page.locator('#premium-table-facts [data-field="sha256"]').innerText(), new RegExp(table.sha256));
    assert.match(await page.locator('#premium-table-facts [data-field="base_amount"]').innerText(), new RegExp(yen(table.base_amount)));
    await shot(page, '34-premium-table', true);

    // A next-period proposal: the shipped table's last version, base amount raised, from 2027.
    const shipped = JSON.parse(readFileSync(TABLE_FILE, 'utf8'));
    const version = { ...shipped.versions.at(-1), effective_from: '2027-04-01', base_amount: 80400, note: '試算' };
    const proposal = { ...shipped, name: '第10期 試算案', first_fiscal_year: 2027, last_fiscal_year: 2029, versions: [version] };
    await page.getByRole('link', { name: '試算 (次期計画)' }).click();
    await page.locator('#sim-table-file').setInputFiles({ name: 'proposal.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(proposal, null, 2)) });
    await page.locator('#sim-file-info').getByText('第10期 試算案').waitFor();
    await page.locator('#sim-run').click();
    await page.locator('#sim-table, #sim-errors [role="alert"]').first().waitFor({ timeout: 60_000 });
    if (await page.locator('#sim-errors [role="alert"]').count()) assert.fail(await page.locator('#sim-errors').innerText());
    assert.equal(await page.locator('#sim-table tbody tr').count(), version.stages.length);
    const totals = await page.locator('#sim-table tfoot td').allInnerTexts();
    assert.equal(totals[3], totals[7], 'the same population under both tables');
    assert.ok(Number(totals[3].replace(/,/g, '')) > 0, 'somebody is insured in the year');
    assert.match(totals[10], /^\+/, 'a higher base amount raises the revenue');
    await shot(page, '35-premium-simulation', true);

    // A broken proposal: a stage with ratio 0 is refused, the JSON path shown.
    const broken = structuredClone(proposal);
    broken.versions[0].stages[2].ratio = '0';
    await page.locator('#sim-table-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await page.locator('#sim-run').click();
    const path = page.locator('#sim-validation code[data-path]');
    await path.waitFor();
    assert.match(await path.innerText(), /^versions\[0\]\.stages\[2\]/);
    assert.equal(await page.locator('#sim-table').count(), 0);
    await shot(page, '36-premium-simulation-refused');
    // And a file that is not JSON is refused before anything is sent, with its line.
    await page.locator('#sim-table-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "name": "x",\n}') });
    await page.locator('#sim-errors [role="alert"]').getByText(/3行1列/).waitFor();
    await shot(page, '37-premium-simulation-not-json');
    await page.context().close();
  });
});
