// 給付 "a month's cycle" end to end, as a 給付担当 (benefit_staff) user, against a running `kaigo
// serve` (scripts/e2e.sh) or the mock: a certified person (one with a certification in force; when
// the city has none, the administrator certifies one through the 認定 API and the committee-support
// simulator) → a care plan registered on their page (KY-01) → their co-payment rate (decided, or the
// yearly run started) → 国保連 月次連携: the KY-03 draft with its pre-send check list, sent → the 国保連
// simulator lives a month → the KY-04 file is shown applied → the person's benefits by month → the
// 高額 application (KY-05) → 高額 run for the month → a decision with its explanation → its notice PDF
// (KY-16) → the payment file (KY-17).
// Each step names the routes it needs. Against the real server (it publishes GET
// /api/v1/openapi.json) every step runs: a missing route or an unmet precondition FAILS the step.
// Only against the mock (no route list) is a step whose precondition is unmet skipped with its
// reason. Every step after a failed or skipped one is skipped (they build on it). The user: KAIGO_E2E_BENEFIT_USER / KAIGO_E2E_BENEFIT_PASSWORD when
// set (the mock: kyufu / kyufu-pass), else `e2e-kyufu` created through POST /users by KAIGO_E2E_USER.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, newPage, shot, shotsDir, target, useBrowser } from './browser.mjs';

const skip = target.url ? false : 'KAIGO_E2E_URL is not set (run scripts/e2e.sh BINARY)';
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Simulated days per 「進める」 of the 国保連 simulator, and how many times at most. */
const MONTH_DAYS = 31;
const ADVANCE_TRIES = 3;

// Today as the server has it: the date in Japan (core/clock.hpp, JST = UTC+9), not the machine's zone.
const jstNow = () => new Date(Date.now() + 9 * 3600 * 1000);
const todayIso = (d = jstNow()) => d.toISOString().slice(0, 10);
const KATAKANA = Array.from({ length: 0x30f3 - 0x30a2 + 1 }, (_, i) => String.fromCharCode(0x30a2 + i));

async function call(ctx, method, path, data, csrf) {
  const res = await ctx.fetch(`${target.url}/api/v1${path}`, { method, data, headers: csrf ? { 'X-CSRF-Token': csrf } : {} });
  const text = await res.text();
  return { status: res.status(), body: text ? (() => { try { return JSON.parse(text); } catch { return text; } })() : null, text };
}

async function apiGet(ctx, path) {
  const r = await call(ctx, 'GET', path);
  assert.ok(r.status === 200, `GET ${path} → ${r.status} ${r.text.slice(0, 200)}`);
  return r.body;
}
const listOf = (b) => (Array.isArray(b) ? b : b?.items ?? []);
const ratesOf = (b) => b?.rates ?? listOf(b); // GET /persons/{id}/copayment-rates answers {person_id, rates}

/** The server's routes ("POST /api/v1/benefit/recipient-files", placeholders as {}); null when it publishes none (the mock). */
async function serverRoutes(ctx) {
  const r = await call(ctx, 'GET', '/openapi.json');
  if (r.status !== 200 || !r.body?.paths) return null;
  const set = new Set();
  for (const [path, ops] of Object.entries(r.body.paths)) for (const m of Object.keys(ops)) set.add(`${m.toUpperCase()} ${path.replace(/^\/api\/v1/, '').replace(/\{[^}]*\}/g, '{}')}`);
  return set;
}

/** A benefit_staff login: from the environment, or created once by the admin user. */
async function benefitUser(admin) {
  if (process.env.KAIGO_E2E_BENEFIT_USER) return { user: process.env.KAIGO_E2E_BENEFIT_USER, password: process.env.KAIGO_E2E_BENEFIT_PASSWORD ?? '' };
  const creds = { user: 'e2e-kyufu', password: 'e2e-kyufu-pass-1234' };
  assert.ok(admin.roles.includes('administrator'), `${target.user} cannot create users; set KAIGO_E2E_BENEFIT_USER/PASSWORD`);
  const made = await call(admin.ctx, 'POST', '/users', { user_id: creds.user, display_name: '給付 担当 (e2e)', password: creds.password, roles: ['benefit_staff'] }, admin.csrf);
  // 409: made by an earlier run against the same server, with the same password.
  assert.ok(made.status === 201 || made.status === 409, `POST /users → ${made.status} ${made.text}`);
  return creds;
}

/** A person with a certification in force, as the 認定 routes say; null when there is none. */
async function findCertified(admin) {
  for (const kana of [...KATAKANA.filter((k) => k !== target.kana), target.kana]) {
    const { items } = await apiGet(admin.ctx, `/persons?kana=${encodeURIComponent(kana)}&limit=50`);
    for (const p of items.filter((x) => x.insured_no && x.registry_status === 'resident')) {
      const r = await call(admin.ctx, 'GET', `/certification/persons/${p.person_id}`);
      if (r.status !== 200) return null;
      if (r.body.certifications.some((c) => c.status === 'current')) return p;
    }
  }
  return null;
}

/** Certify one insured resident aged 65+ through the 認定 API and the shinsa simulator (the city has nobody certified yet). */
async function certifySomebody(admin) {
  const a = admin.ctx;
  const today = todayIso();
  let person = null;
  for (const kana of KATAKANA) {
    const { items } = await apiGet(a, `/persons?kana=${encodeURIComponent(kana)}&limit=50`);
    for (const p of items.filter((x) => x.insured_no && x.registry_status === 'resident' && Number(x.birth_date.slice(0, 4)) + 66 <= Number(today.slice(0, 4)))) {
      const mine = await apiGet(a, `/certification/persons/${p.person_id}`);
      if (mine.applications.every((x) => ['decided', 'notified', 'withdrawn'].includes(x.status))) { person = p; break; }
    }
    if (person) break;
  }
  assert.ok(person, 'nobody aged 65+ to certify');
  const masters = await apiGet(a, '/certification/masters');
  const post = async (path, data) => {
    const r = await call(a, 'POST', path, data, admin.csrf);
    assert.ok(r.status === 200 || r.status === 201, `POST ${path} → ${r.status} ${r.text.slice(0, 300)}`);
    return r.body;
  };
  const app = await post('/certification/applications', { person_id: person.person_id, kind: 'new', applied_on: today, place: 'home', applicant_relation: '本人' });
  await post(`/certification/applications/${app.application_id}/assessment-request`, { assessor_kind: 'contractor', contractor_code: masters.contractors[0].code });
  await post(`/certification/applications/${app.application_id}/opinion-request`, { institution_code: masters.institutions[0].code, doctor_name: '主治医 一郎', first_visit: false });
  const advanceUntil = async (what, done) => {
    for (let i = 0; i < 8 && !(await done()); i++) {
      await post('/simulators/shinsa/advance', { days: 7 });
      await new Promise((r) => setTimeout(r, 2500));
    }
    assert.ok(await done(), `certifying the person: ${what} not reached`);
  };
  await advanceUntil('ready', async () => (await apiGet(a, `/certification/applications/${app.application_id}`)).status === 'ready');
  for (let sitting = 1; ; sitting++) {
    assert.ok(sitting <= 3, 'deferred by three sessions in a row');
    const members = masters.members.filter((m) => m.active !== false).slice(0, 5);
    const session = await post('/certification/sessions', { panel: `第${sitting}合議体`, held_on: today, members: members.map((m, i) => ({ member_code: m.member_code, role: i === 0 ? 'chair' : 'member' })) });
    await post(`/certification/sessions/${session.session_id}/cases`, { application_ids: [app.application_id] });
    await post(`/certification/sessions/${session.session_id}/request`, {});
    await advanceUntil('decided', async () => (await apiGet(a, `/certification/sessions/${session.session_id}`)).status === 'decided');
    const now = await apiGet(a, `/certification/applications/${app.application_id}`);
    if (now.status !== 'ready') break;
  }
  const mine = await apiGet(a, `/certification/persons/${person.person_id}`);
  return mine.certifications.some((c) => c.status === 'current') ? person : null;
}

/**
 * An office of the masters that makes the plan the certification calls for (config/codes/care_offices.tsv):
 * 居宅介護支援 (service kind 43) for 要介護, 介護予防支援 (46, the 地域包括支援センター) for 要支援.
 */
function careOffice(planKind) {
  const file = join(repo, 'config', 'codes', 'care_offices.tsv');
  if (!existsSync(file)) return '0170100011'; // the mock's 居宅介護支援事業所
  const kind = planKind === 'prevention' ? '46' : '43';
  // Columns: office_no, name, address, service_kinds (joined by |), makes_care_plans (1: names on a KY-03 care plan).
  const row = readFileSync(file, 'utf8').split(/\r?\n/).find((l) => /^\d{10}\t/.test(l) && l.split('\t')[4] === '1' && l.split('\t')[3].split('|').includes(kind));
  assert.ok(row, `care_offices.tsv has an office of service kind ${kind} that makes care plans`);
  return row.split('\t')[0];
}

/** The plan kind the person's certification in force calls for (care_plan.cpp level_matches): prevention for 要支援. */
async function planKindFor(ctx, personId) {
  const r = await call(ctx, 'GET', `/certification/persons/${personId}`);
  const level = r.status === 200 ? r.body.certifications?.find((c) => c.status === 'current')?.care_level ?? '' : '';
  return String(level).startsWith('support') ? 'prevention' : 'home_care';
}

describe('給付', { skip }, () => {
  const chromium = useBrowser();

  test("KY_03_KY_04 a month's cycle: care plan → KY-03 checks and send → the 国保連 a month on → KY-04 applied → benefits by month → 高額 run, decision, explanation, notice → KY-17", async (t) => {
    const browser = chromium.browser;
    // The administrator (setup only: users, a certified person).
    const adminCtx = await browser.newContext();
    const me = await call(adminCtx.request, 'POST', '/login', { user_id: target.user, password: target.password });
    assert.equal(me.status, 200, `login as ${target.user}`);
    const admin = { ctx: adminCtx.request, csrf: me.body.csrf_token, roles: me.body.roles };
    const routes = await serverRoutes(admin.ctx);
    const { user, password } = await benefitUser(admin);
    const page = await newPage(browser);
    const api = page.request;

    // One step: skipped with the missing routes named (and every later step with it) when the server lacks them.
    let stoppedBy = '';
    const step = async (name, needs, fn, precondition = async () => '') => {
      const missing = routes === null ? [] : needs.filter((r) => !routes.has(r));
      const reason = stoppedBy ? `after the step 「${stoppedBy}」` : missing.length ? `未実装: ${missing.join(', ')}` : await precondition();
      if (reason && !stoppedBy && routes !== null) {
        // The real server: nothing of the cycle may be left out.
        stoppedBy = `${name} (failed)`;
        return t.test(name, () => assert.fail(reason));
      }
      if (reason) {
        stoppedBy ||= name;
        console.log(`skipped ${name}: ${reason}`);
        return t.test(name, { skip: reason }, () => {});
      }
      return t.test(name, async () => {
        try {
          await fn();
        } catch (e) {
          stoppedBy = `${name} (failed)`;
          throw e;
        }
      });
    };

    let person = null;
    let csrf = '';
    let fileId = 0;
    let month = '';
    let decision = null;

    await step('login as 給付担当; the 給付 menu', [], async () => {
      await login(page, user, password);
      await page.getByTestId('current-user').waitFor();
      assert.match(await page.getByTestId('current-user').innerText(), /給付担当/);
      for (const name of ['国保連 月次連携', '高額介護サービス費', '返還金', '高額医療合算・給付費通知']) await page.getByRole('link', { name }).waitFor();
      csrf = (await apiGet(api, '/me')).csrf_token;
    });

    await step('a certified person', ['GET /certification/persons/{}'], async () => {
      person = await findCertified(admin);
      if (!person) person = await certifySomebody(admin);
      assert.ok(person, 'a person with a certification in force');
      console.log(`person ${person.person_id} (insured ${person.insured_no})`);
    });

    await step('KY-01: a care plan registered on the person page', ['GET /persons/{}/care-plans', 'POST /persons/{}/care-plans'], async () => {
      const before = listOf(await apiGet(api, `/persons/${person.person_id}/care-plans`)).length;
      await page.goto(`${target.url}/#/person/${person.person_id}`);
      await page.locator('#care-plan-open').click();
      const planKind = await planKindFor(admin.ctx, person.person_id);
      console.log(`KY-01: plan kind ${planKind}`);
      await page.locator('#care-plan-kind').selectOption(planKind);
      // Refused on the spot without an office number, the field marked.
      await page.locator('#care-plan-office').fill('');
      await page.locator('#care-plan-submit').click();
      await page.locator('#care-plan-form [role="alert"]').waitFor();
      assert.match(await page.locator('#care-plan-office').getAttribute('class'), /invalid/);
      await page.locator('#care-plan-office').fill(careOffice(planKind));
      await page.locator('#care-plan-submit').click();
      const result = page.locator('#care-plan-result [role="status"], #care-plan-form [role="alert"]').first();
      await result.waitFor();
      assert.equal(await result.getAttribute('role'), 'status', `care plan refused: ${await result.innerText()}`);
      const plans = listOf(await apiGet(api, `/persons/${person.person_id}/care-plans`));
      assert.equal(plans.length, before + 1);
      await page.locator(`#benefit-care-plan-table tr[data-care-plan-id="${plans[0].care_plan_id}"]`).waitFor();
    }, async () => {
      // A server that has the routes but not the 給付 configuration answers 503 (not wired yet): an
      // empty body is refused before anything is written either way (400 naming plan_kind when wired).
      const r = await call(api, 'POST', `/persons/${person.person_id}/care-plans`, {}, csrf);
      return r.status === 503 ? `the server has not loaded the 給付 configuration (503: ${r.body?.error?.message ?? r.text.slice(0, 100)})` : '';
    });

    await step("the person's co-payment rate", ['GET /persons/{}/copayment-rates', 'POST /benefit/copayment-runs'], async () => {
      let rates = ratesOf(await apiGet(api, `/persons/${person.person_id}/copayment-rates`));
      // A new recipient gets a rate from the background job (certification_event); wait for it first.
      for (let i = 0; i < 30 && !rates.some((x) => x.status === 'current'); i++) {
        await page.waitForTimeout(1000);
        rates = ratesOf(await apiGet(api, `/persons/${person.person_id}/copayment-rates`));
      }
      if (!rates.some((r) => r.status === 'current')) {
        // Not decided yet: the yearly determination for the year in progress (resumable).
        const d = jstNow();
        const rateYear = d.getUTCMonth() + 1 >= 8 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
        const r = await call(api, 'POST', '/benefit/copayment-runs', { rate_year: rateYear }, csrf);
        assert.ok(r.status === 200 || r.status === 201 || r.status === 202, `copayment run → ${r.status} ${r.text.slice(0, 200)}`);
        for (let i = 0; i < 30 && !rates.some((x) => x.status === 'current'); i++) {
          await page.waitForTimeout(1000);
          rates = ratesOf(await apiGet(api, `/persons/${person.person_id}/copayment-rates`));
        }
      }
      const current = rates.find((r) => r.status === 'current');
      assert.ok(current, 'a current co-payment rate');
      await page.locator('#person-benefit-refresh').click();
      await page.locator(`#benefit-copayment-table tr[data-rate-id="${current.rate_id}"] td.rate`).getByText(`${current.rate}割`).waitFor();
      const card = await api.get(new URL(await page.locator('#benefit-copayment-card').getAttribute('href'), target.url).toString());
      assert.equal(card.status(), 200);
      assert.equal((await card.body()).subarray(0, 5).toString(), '%PDF-');
      await page.locator('#person-benefit').screenshot({ path: join(shotsDir, '60-person-benefit-plan.png') });
    });

    await step('KY-03: the draft, its pre-send check list, sent', ['POST /benefit/recipient-files', 'GET /benefit/recipient-files', 'GET /benefit/recipient-files/{}', 'POST /benefit/recipient-files/{}/send'], async () => {
      await page.getByRole('link', { name: '国保連 月次連携' }).click();
      await page.locator('#recipient-files table, #recipient-files-empty').first().waitFor();
      await page.locator('#recipient-build').click();
      await page.locator('#recipient-file[data-status="draft"], #recipient-draft-result .banner').first().waitFor();
      assert.equal(await page.locator('#recipient-file[data-status="draft"]').count(), 1, `no draft: ${await page.locator('#recipient-draft-result').innerText()}`);
      fileId = Number(await page.locator('#recipient-file').getAttribute('data-file-id'));
      const file = await apiGet(api, `/benefit/recipient-files/${fileId}`);
      assert.equal(file.status, 'draft');
      const mine = (file.records ?? []).filter((r) => r.person_id === person.person_id);
      if (!mine.length) {
        // Say whether the monthly job (serve's KY-03: the month's first pending change sent when clean) took it first.
        const byJob = listOf(await apiGet(api, '/benefit/recipient-files')).filter((f) => f.file_id !== fileId && String(f.built_by).startsWith('job:'));
        assert.fail(`the person's record is not in the draft (${(file.records ?? []).length} records); files built by the monthly job: ${JSON.stringify(byJob.map((f) => [f.file_id, f.status, f.built_at]))}`);
      }
      const held = mine.filter((r) => r.check_status === 'held');
      assert.equal(held.length, 0, `the person's record is held: ${JSON.stringify(held.map((r) => r.check_causes))}`);
      // The check list shows every held record's causes, or says there are none.
      const heldAll = (file.records ?? []).filter((r) => r.check_status === 'held');
      if (heldAll.length) assert.equal(await page.locator('#recipient-check-list tbody tr').count(), heldAll.reduce((n, r) => n + Math.max(1, r.check_causes.length), 0));
      else await page.locator('#recipient-checks-ok').waitFor();
      await page.locator(`#recipient-record-table tr[data-record-id="${mine[0].record_id}"]`).waitFor();
      await shot(page, '61-kokuhoren-draft', true);
      await page.locator('#recipient-send').click();
      const result = page.locator('#recipient-send-result [role="status"], #recipient-send-result [role="alert"]').first();
      await result.waitFor();
      assert.equal(await result.getAttribute('role'), 'status', `send refused: ${await result.innerText()}`);
      assert.equal((await apiGet(api, `/benefit/recipient-files/${fileId}`)).status, 'sent');
      await page.locator(`#recipient-file-table tr[data-file-id="${fileId}"][data-status="sent"]`).waitFor();
    });

    await step('the 国保連 a month on: KY-04 applied, the person has benefit records', ['GET /benefit/inbound-files', 'GET /persons/{}/benefit-records', 'POST /simulators/{}/advance'], async () => {
      const bar = page.locator('#kokuhoren-simulator');
      await bar.waitFor({ timeout: 10_000 }).catch(() => assert.fail('no 国保連 simulator control: GET /simulators does not list it for this user'));
      const filesBefore = new Set(listOf(await apiGet(api, '/benefit/inbound-files?flow=KY-04')).map((f) => f.file_id));
      const recordsNow = async () => {
        const r = await apiGet(api, `/persons/${person.person_id}/benefit-records`);
        return r.months ? r.months.flatMap((m) => m.records) : listOf(r);
      };
      let records = [];
      let applied = null;
      const seen = [];
      for (let i = 0; i < ADVANCE_TRIES && !(applied && records.length); i++) {
        await page.locator('#kokuhoren-days').fill(String(MONTH_DAYS));
        await page.locator('#kokuhoren-advance').click();
        const result = page.locator('#kokuhoren-result [role="status"], #kokuhoren-result [role="alert"]').first();
        await result.waitFor();
        if ((await result.getAttribute('role')) === 'alert') assert.fail(`simulator: ${await result.innerText()}`);
        seen.push(await result.innerText());
        await page.waitForTimeout(2500);
        records = await recordsNow();
        applied = listOf(await apiGet(api, '/benefit/inbound-files?flow=KY-04')).find((f) => !filesBefore.has(f.file_id) && f.status === 'applied') ?? null;
      }
      console.log(`国保連 simulator: ${seen.join(' / ')}`);
      assert.ok(applied, `no new applied KY-04 file after ${ADVANCE_TRIES} × ${MONTH_DAYS} days`);
      assert.ok(records.length > 0, `no benefit records for the person after ${ADVANCE_TRIES} × ${MONTH_DAYS} days`);
      await page.locator('#inbound-refresh').click();
      await page.locator(`#inbound-file-table tr[data-file-id="${applied.file_id}"][data-status="applied"]`).waitFor();
      await shot(page, '62-kokuhoren-ky04', true);
      month = records.map((r) => r.service_month).sort().at(-1);
    }, async () => {
      // The demo control: GET /simulators must list a 国保連 simulator for this user.
      const sims = await call(api, 'GET', '/simulators');
      const listed = sims.status === 200 && listOf(sims.body).some((x) => x.counterpart === 'kokuhoren');
      return listed ? '' : `GET /simulators lists no 国保連 simulator for 給付担当 (${sims.status})`;
    });

    await step("the person's benefits by month", ['GET /persons/{}/benefit-records'], async () => {
      await page.goto(`${target.url}/#/person/${person.person_id}`);
      // The range: the month's year up to the month (the simulator's months may run ahead of today).
      await page.locator('#benefit-records-from').fill(`${month.slice(0, 4)}-01`);
      await page.locator('#benefit-records-to').fill(month);
      await page.locator('#benefit-records-range button[type="submit"]').click();
      const block = page.locator(`#benefit-records .benefit-month[data-month="${month}"]`);
      await block.waitFor();
      const r = await apiGet(api, `/persons/${person.person_id}/benefit-records`);
      const recs = (r.months ? r.months.flatMap((m) => m.records) : listOf(r)).filter((x) => x.service_month === month && (!x.status || x.status === 'current'));
      assert.equal(await block.locator('tbody tr[data-record-id]').count(), recs.length);
      const copay = recs.reduce((s, x) => s + x.copayment, 0);
      assert.match(await block.locator('tr.totals').innerText(), new RegExp(copay.toLocaleString('ja-JP')));
      await page.locator('#person-benefit').screenshot({ path: join(shotsDir, '63-person-benefit-records.png') });
    });

    await step('KY-05: the 高額 application', ['GET /persons/{}/high-cost-applications', 'POST /persons/{}/high-cost-applications'], async () => {
      const apps = listOf(await apiGet(api, `/persons/${person.person_id}/high-cost-applications`));
      if (apps.some((a) => a.status === 'active')) return console.log('KY-05: the person has an application already');
      await page.locator('#high-cost-apply-open').click();
      await page.locator('#hc-first-month').fill(month);
      await page.locator('#hc-bank').fill('0001');
      await page.locator('#hc-branch').fill('001');
      await page.locator('#hc-account-no').fill('12');
      await page.locator('#high-cost-apply-submit').click();
      await page.locator('#high-cost-apply-form [role="alert"]').waitFor();
      assert.match(await page.locator('#hc-account-no').getAttribute('class'), /invalid/);
      await page.locator('#hc-account-no').fill('1234567');
      await page.locator('#hc-holder').fill('カイゴ タロウ');
      await page.locator('#high-cost-apply-submit').click();
      const result = page.locator('#high-cost-apply-result [role="status"], #high-cost-apply-form [role="alert"]').first();
      await result.waitFor();
      assert.equal(await result.getAttribute('role'), 'status', `KY-05 refused: ${await result.innerText()}`);
      assert.ok(listOf(await apiGet(api, `/persons/${person.person_id}/high-cost-applications`)).some((a) => a.status === 'active'));
    });

    await step('高額 for the month: run, a decision with its explanation, its notice PDF', ['POST /benefit/high-cost-runs', 'GET /benefit/high-cost-runs', 'GET /persons/{}/high-cost-decisions', 'GET /high-cost-decisions/{}', 'GET /high-cost-decisions/{}/notice.pdf'], async () => {
      await page.goto(`${target.url}/#/benefit/high-cost?month=${month}`);
      await page.locator('#high-cost-run').click();
      const result = page.locator('#high-cost-run-result [role="status"], #high-cost-run-result [role="alert"]').first();
      await result.waitFor({ timeout: 120_000 });
      assert.equal(await result.getAttribute('role'), 'status', `高額 run refused: ${await result.innerText()}`);
      console.log(`高額 ${month}: ${await result.innerText()}`);
      const decisions = listOf(await apiGet(api, `/persons/${person.person_id}/high-cost-decisions`)).filter((d) => d.service_month === month && d.status === 'current');
      assert.equal(decisions.length, 1, `one current decision for the person and ${month}`);
      decision = decisions[0];
      await page.goto(`${target.url}/#/person/${person.person_id}`);
      const row = page.locator(`#benefit-high-cost-decision-table tr[data-decision-id="${decision.decision_id}"]`);
      await row.waitFor();
      await row.locator(`button[data-explain="${decision.decision_id}"]`).click();
      const lines = page.locator(`#high-cost-explanation-${decision.decision_id} li`);
      await lines.first().waitFor();
      assert.ok((await lines.count()) >= 2, 'the explanation has its steps');
      const openPdf = async (href, what) => {
        const pdf = await api.get(new URL(href, target.url).toString());
        assert.equal(pdf.status(), 200, `${what}: ${href}`);
        assert.match(pdf.headers()['content-type'], /application\/pdf/);
        assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
        console.log(`${what} opens: ${href}`);
      };
      if (decision.notice === null) {
        // Nothing paid to this person for the month: no KY-16 notice of theirs; the run's print
        // file (the month's notices) opens from the 高額 page instead when it has any.
        assert.equal(await page.locator(`#high-cost-notice-${decision.decision_id}`).count(), 0, 'no notice link for a decision without payment');
        const runs = listOf(await apiGet(api, '/benefit/high-cost-runs')).filter((r) => r.month === month && r.pdf);
        if (runs.length) await openPdf(runs[0].pdf, "the month's KY-16 print file");
        else console.log(`nobody is paid for ${month}: no KY-16 notice to open`);
      } else {
        await openPdf(await page.locator(`#high-cost-notice-${decision.decision_id}`).getAttribute('href'), 'the KY-16 notice');
      }
      await page.locator('#person-benefit').screenshot({ path: join(shotsDir, '64-person-high-cost.png') });
      console.log(`decision ${decision.decision_id}: household ${decision.household_copayment}, cap ${decision.cap}, paid ${decision.amount}`);
    });

    await step('KY-17: the payment file', ['POST /benefit/payment-files', 'GET /benefit/payment-files'], async () => {
      await page.goto(`${target.url}/#/benefit/high-cost?month=${month}`);
      await page.locator('#payment-files table, #payment-files-empty').first().waitFor();
      await page.locator('#payment-file-send').click();
      const result = page.locator('#payment-file-result [role="status"], #payment-file-result [role="alert"]').first();
      await result.waitFor();
      assert.equal(await result.getAttribute('role'), 'status', `payment file refused: ${await result.innerText()}`);
      if (decision.amount > 0 && decision.application_id !== null) {
        // A paid decision with an account is in a file sent now or earlier.
        assert.ok(listOf(await apiGet(api, '/benefit/payment-files')).length > 0, 'a payment file is listed');
        await page.locator('#payment-file-table tbody tr').first().waitFor();
      }
      await shot(page, '65-high-cost-payment', true);
    });

    await page.context().close();
    await adminCtx.close();
  });
});
