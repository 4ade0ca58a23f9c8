// 認定 end to end, as a 認定担当 (certification_staff) user, against a running `kaigo serve`
// (scripts/e2e.sh: the bundled committee-support simulator answers as its days are advanced) or
// the mock: a category-1 person's 新規 application taken at the counter (NT-01) → the home
// assessment and the physician's opinion requested (NT-07, NT-09) → the simulator lives days until
// both are in (NT-08, NT-10) and the application waits for a session with its first stage → a
// committee session created, the case added, NT-11 sent → the simulator lives days until the
// committee's decision is in (NT-12) → the result notice issued (NT-13): its PDF and 通知済.
// The user: KAIGO_E2E_CERT_USER / KAIGO_E2E_CERT_PASSWORD when set (the mock: nintei /
// nintei-pass), else created through POST /api/v1/users by KAIGO_E2E_USER (an administrator).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { login, newPage, shot, shotsDir, target, useBrowser } from './browser.mjs';

const skip = target.url ? false : 'KAIGO_E2E_URL is not set (run scripts/e2e.sh BINARY)';
/** Simulated days per 「進める」, and how many times at most before giving up. */
const ADVANCE_DAYS = 7;
const ADVANCE_TRIES = 8;

// Today as the server and the web client have it: the date in Japan (core/clock.hpp, JST = UTC+9).
const todayIso = (d = new Date(Date.now() + 9 * 3600 * 1000)) => d.toISOString().slice(0, 10);

async function apiGet(page, path) {
  const res = await page.request.get(`${target.url}/api/v1${path}`);
  assert.ok(res.ok(), `GET ${path} → ${res.status()} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

/** A certification_staff login: from the environment, or created once by the admin user. */
async function certificationUser(browser) {
  if (process.env.KAIGO_E2E_CERT_USER) return { user: process.env.KAIGO_E2E_CERT_USER, password: process.env.KAIGO_E2E_CERT_PASSWORD ?? '' };
  const creds = { user: 'e2e-nintei', password: 'e2e-nintei-pass-1234' };
  const admin = await browser.newContext();
  try {
    const me = await admin.request.post(`${target.url}/api/v1/login`, { data: { user_id: target.user, password: target.password } });
    assert.ok(me.ok(), `login as ${target.user} → ${me.status()}`);
    const { csrf_token: csrf, roles } = await me.json();
    assert.ok(roles.includes('administrator'), `${target.user} cannot create users; set KAIGO_E2E_CERT_USER/PASSWORD`);
    const made = await admin.request.post(`${target.url}/api/v1/users`, {
      headers: { 'X-CSRF-Token': csrf },
      data: { user_id: creds.user, display_name: '認定 担当 (e2e)', password: creds.password, roles: ['certification_staff'] },
    });
    // 409: made by an earlier run against the same server, with the same password.
    assert.ok(made.status() === 201 || made.status() === 409, `POST /users → ${made.status()} ${await made.text()}`);
    await admin.request.post(`${target.url}/api/v1/logout`, { headers: { 'X-CSRF-Token': csrf } });
  } finally {
    await admin.close();
  }
  return creds;
}

// Katakana in 五十音 order; the environment's prefix last (the other journeys change its people).
const KATAKANA = Array.from({ length: 0x30f3 - 0x30a2 + 1 }, (_, i) => String.fromCharCode(0x30a2 + i));

/** The day before the 65th birthday (年齢計算ニ関スル法律): 第1号 from then. */
const reached65 = (birth) => {
  const d = new Date(`${Number(birth.slice(0, 4)) + 65}${birth.slice(4)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** A resident, insured, aged 65+ today, with no application in progress and no certification in force (a 新規 is for them). */
async function findCategory1Person(page) {
  const today = todayIso();
  for (const kana of [...KATAKANA.filter((k) => k !== target.kana), target.kana]) {
    const { items } = await apiGet(page, `/persons?kana=${encodeURIComponent(kana)}&limit=50`);
    for (const p of items.filter((x) => x.insured_no && x.registry_status === 'resident' && reached65(x.birth_date) <= today)) {
      const mine = await apiGet(page, `/certification/persons/${p.person_id}`);
      if (mine.applications.every((a) => ['decided', 'notified', 'withdrawn'].includes(a.status)) && !mine.certifications.some((c) => c.status === 'current'))
        return p;
    }
  }
  return null;
}

/** 「進める」 on the page's simulator bar until `done()` says so (at most ADVANCE_TRIES times). */
async function advanceUntil(page, what, done) {
  const bar = page.locator('#shinsa-simulator');
  await bar.waitFor({ timeout: 10_000 }).catch(() => assert.fail('no shinsa simulator control: GET /simulators does not list shinsa for this user'));
  const seen = [];
  for (let i = 0; i < ADVANCE_TRIES; i++) {
    if (await done()) {
      console.log(`${what}: after ${i} × ${ADVANCE_DAYS} days (${seen.join(' / ')})`);
      return;
    }
    await page.locator('#shinsa-days').fill(String(ADVANCE_DAYS));
    await page.locator('#shinsa-advance').click();
    const result = page.locator('#shinsa-result [role="status"], #shinsa-result [role="alert"]').first();
    await result.waitFor();
    const text = await result.innerText();
    if ((await result.getAttribute('role')) === 'alert') assert.fail(`simulator: ${text}`);
    seen.push(text);
    // The inbox takes the answers in on its next pass; the page reads the case again after 1.5 s.
    await page.waitForTimeout(2500);
  }
  assert.ok(await done(), `${what}: not reached after ${ADVANCE_TRIES} × ${ADVANCE_DAYS} simulated days (${seen.join(' / ')})`);
}

/** One sitting: a session today with the ticked members, the case added, NT-11 sent, days lived until decided; the case's outcome. */
async function committeeSitting(page, applicationId, app, sitting) {
  await page.getByRole('link', { name: '介護認定審査会' }).click();
  await page.locator('#session-form').waitFor();
  await page.locator('#session-panel').fill(`第${sitting}合議体`);
  await page.locator('#session-held-on').fill(todayIso());
  assert.ok((await page.locator('#session-members input.member-on:checked').count()) > 0, 'members chosen');
  if (sitting === 1) await shot(page, '44-certification-session-new');
  await page.locator('#session-create').click();
  await page.locator('#session-facts').waitFor();
  const sessionId = Number(/#\/certification\/sessions\/(\d+)$/.exec(page.url())?.[1]);
  assert.ok(sessionId > 0, `the session page opens (${page.url()})`);
  await page.locator(`#session-ready-table tr[data-application-id="${applicationId}"] input.ready-pick`).check();
  await page.locator('#session-add').click();
  const caseRow = page.locator(`#session-cases tr[data-application-id="${applicationId}"]`);
  await caseRow.waitFor();
  if (app.first_stage.care_level_label) assert.match(await caseRow.innerText(), new RegExp(app.first_stage.care_level_label));
  await page.locator('#session-send').click();
  await page.locator('#session-status[data-status="requested"]').waitFor();
  if (sitting === 1) await shot(page, '45-certification-session-requested', true);
  assert.equal((await apiGet(page, `/certification/applications/${applicationId}`)).status, 'scheduled');
  await advanceUntil(page, `session ${sitting} decided`, async () => (await apiGet(page, `/certification/sessions/${sessionId}`)).status === 'decided');
  await page.reload();
  await page.locator('#session-status[data-status="decided"]').waitFor();
  const outcome = await caseRow.getAttribute('data-outcome');
  await shot(page, `46-certification-session-decided-${sitting}`, true);
  console.log(`session ${sitting} (#${sessionId}): the case ${outcome}`);
  return outcome;
}

describe('認定', { skip }, () => {
  const chromium = useBrowser();

  test('NT_13 certification journey: intake → assessment and opinion → 審査会待ち → session, NT-11 → decision → result notice (PDF, 通知済)', async () => {
    const { user, password } = await certificationUser(chromium.browser);
    const page = await newPage(chromium.browser);
    await login(page, user, password);
    await page.getByTestId('current-user').waitFor();
    assert.match(await page.getByTestId('current-user').innerText(), /認定担当/);

    // The list from the 認定 menu: ten tabs, 未決定 first.
    await page.getByRole('link', { name: '申請一覧' }).click();
    await page.locator('#cert-table, #cert-empty').first().waitFor();
    assert.equal(await page.locator('#cert-tabs [data-filter]').count(), 10);
    assert.equal(await page.locator('#cert-tabs .tab.active').getAttribute('data-filter'), 'open');
    await shot(page, '40-certification-list');

    // NT-01: a category-1 person's page → 「認定申請」 → the intake form with the person chosen.
    const person = await findCategory1Person(page);
    assert.ok(person, 'no resident category-1 person without an open application');
    await page.goto(`${target.url}/#/person/${person.person_id}`);
    await page.locator('#person-certification-new').click();
    await page.locator('#cert-person-name').getByText(person.name_kanji).waitFor();
    assert.match(await page.locator('#cert-category').innerText(), /第1号/);
    assert.ok(await page.locator('#cert-disease').isHidden(), 'no 特定疾病 for 第1号');
    assert.equal(await page.locator('#cert-kind').inputValue(), 'new');
    await page.locator('#cert-relation').selectOption('家族');
    await shot(page, '41-certification-intake');
    await page.locator('#cert-submit').click();
    await page.locator('#cert-clock, [role="alert"]').first().waitFor();
    if (await page.locator('[role="alert"]').count()) assert.fail(`intake refused: ${await page.locator('[role="alert"]').first().innerText()}`);
    const applicationId = Number(/#\/certification\/(\d+)$/.exec(page.url())?.[1]);
    assert.ok(applicationId > 0, `the application page opens (${page.url()})`);
    let app = await apiGet(page, `/certification/applications/${applicationId}`);
    assert.equal(app.person_id, person.person_id);
    assert.equal(app.applied_on, todayIso());
    assert.equal(await page.locator('#cert-status').getAttribute('data-status'), app.status);
    assert.equal(await page.locator('#cert-clock').getAttribute('data-clock'), 'on_time');
    assert.equal((await page.locator('#cert-days-elapsed .n').innerText()).trim(), '0');
    assert.equal((await page.locator('#cert-days-left .n').innerText()).trim(), String(app.days_left));
    assert.match(await page.locator('#cert-facts [data-field="deadline_on"]').innerText(), new RegExp(app.deadline_on));

    // NT-07: the home assessment, by the first contractor of the masters.
    await page.locator('#cert-act-assessment').click();
    await page.locator('#cert-assessment-form').waitFor();
    assert.equal(await page.locator('#cert-assessor-kind').inputValue(), 'contractor');
    await page.locator('#cert-assessment-submit').click();
    await page.locator('#cert-result [role="status"]').getByText(/認定調査を依頼しました/).waitFor();
    // NT-09: the opinion; without a doctor's name the form refuses and marks the field.
    await page.locator('#cert-act-opinion').click();
    await page.locator('#cert-opinion-form').waitFor();
    await page.locator('#cert-doctor').fill('');
    await page.locator('#cert-opinion-submit').click();
    await page.locator('#cert-opinion-form [role="alert"]').waitFor();
    assert.match(await page.locator('#cert-doctor').getAttribute('class'), /invalid/);
    await page.locator('#cert-doctor').fill('田中 一郎');
    await page.locator('#cert-first-visit').selectOption('1');
    await page.locator('#cert-opinion-submit').click();
    await page.locator('#cert-result [role="status"]').getByText(/主治医意見書を依頼しました/).waitFor();
    await page.locator('#cert-assessment [data-status="requested"]').waitFor();
    await page.locator('#cert-opinion [data-status="requested"]').waitFor();
    app = await apiGet(page, `/certification/applications/${applicationId}`);
    assert.equal(app.status, 'investigating');
    assert.equal(app.assessments.length, 1);
    assert.equal(app.opinions.length, 1);
    await shot(page, '42-certification-requested', true);

    // NT-08 / NT-10: the simulator lives days until both are in; the first stage is computed.
    await advanceUntil(page, 'assessment and opinion in', async () => (await apiGet(page, `/certification/applications/${applicationId}`)).status === 'ready');
    await page.reload();
    await page.locator('#cert-status[data-status="ready"]').waitFor();
    app = await apiGet(page, `/certification/applications/${applicationId}`);
    assert.ok(app.first_stage, 'a first stage once both are in');
    assert.equal(await page.locator('#cert-first-stage [data-level]').getAttribute('data-level'), app.first_stage.care_level);
    assert.match(await page.locator('#cert-first-stage .first-stage-explanation').innerText(), /基準時間/);
    await page.locator('#cert-assessment [data-status="received"] #cert-standard-minutes').waitFor();
    await page.locator('#cert-opinion [data-status="received"]').waitFor();
    assert.equal(await page.locator('#cert-timeline li[data-stage]').count(), app.stages.length);
    await shot(page, '43-certification-ready', true);
    // The list's 審査会待ち tab has it.
    await page.goto(`${target.url}/#/certification?filter=ready&q=${app.application_no}`);
    await page.locator(`#cert-table tr[data-application-id="${applicationId}"]`).waitFor();
    assert.equal(await page.locator(`#cert-table tr[data-application-id="${applicationId}"]`).getAttribute('data-clock'), app.clock);
    await shot(page, '43b-certification-list-ready');

    // A session today, the case added, NT-11 sent; NT-12: the committee decides. A case sent back
    // for 再審査 (deferred) goes before a new session.
    let outcome = 'deferred';
    for (let sitting = 1; outcome === 'deferred'; sitting++) {
      assert.ok(sitting <= 3, 'deferred by three sessions in a row');
      outcome = await committeeSitting(page, applicationId, app, sitting);
    }
    assert.equal(outcome, 'decided');

    // The decision and the certification on the application; NT-13 the result notice.
    await page.locator(`#session-cases tr[data-application-id="${applicationId}"] a`).click();
    await page.locator('#cert-status[data-status="decided"]').waitFor();
    app = await apiGet(page, `/certification/applications/${applicationId}`);
    assert.ok(app.decision, 'the decision');
    assert.equal(await page.locator('#cert-decided-level').getAttribute('data-level'), app.decision.care_level);
    if (app.certification) {
      assert.match(await page.locator('#cert-granted [data-field="monthly_cap_units"]').innerText(), new RegExp(app.certification.monthly_cap_units.toLocaleString('ja-JP')));
      assert.match(await page.locator('#cert-granted [data-field="validity"]').innerText(), /〜/);
    }
    assert.equal(await page.locator('#cert-clock').getAttribute('data-clock'), 'done');
    await page.locator('#cert-act-notice').click();
    await page.locator('#cert-notice-submit').click();
    const link = page.locator('#cert-notice-link');
    await link.waitFor();
    const pdf = await page.request.get(new URL(await link.getAttribute('href'), target.url).toString());
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    await page.locator('#cert-status[data-status="notified"]').waitFor();
    assert.match(await page.locator('#cert-status').innerText(), /通知済/);
    await page.locator('#cert-document-table tr[data-kind="result_notice"]').waitFor();
    await page.locator('#cert-body').screenshot({ path: join(shotsDir, '47-certification-notified.png') });
    app = await apiGet(page, `/certification/applications/${applicationId}`);
    assert.equal(app.status, 'notified');
    console.log(`NT-13 ${app.application_no}: ${app.decision.care_level} after ${app.days_elapsed} days (stages ${app.stages.map((s) => `${s.label} ${s.days ?? '—'}`).join(', ')})`);

    // The person page's 認定 section: the certification and the application.
    await page.goto(`${target.url}/#/person/${person.person_id}`);
    await page.locator(`#person-applications tr[data-application-id="${applicationId}"]`).waitFor();
    await page.locator('#person-certification').screenshot({ path: join(shotsDir, '48-person-certification.png') });
    await page.context().close();
  });
});
