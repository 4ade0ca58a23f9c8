// The 資格 routes of the mock API (docs/api-eligibility.md), dev server only: a person's register,
// 職権 facts and their cancelling, medical insurance, 住所地特例 and 適用除外 with their lists, the
// code lists, the 被保険者証 PDF and the 65歳到達 card batch. Counter cases, 住基 and the registry
// simulator are in cases.ts. Only 資格担当 and 監督者 write; the other business roles read.
import type { Reply } from './inquiries';
import { addDays, LABELS, MockRegister, nowIso, type RegPerson } from './register';

const WRITERS = new Set(['eligibility_staff', 'supervisor']);
const READERS = new Set([...WRITERS, 'premium_staff', 'certification_staff', 'benefit_staff']);
const ISO = /^\d{4}-\d{2}-\d{2}$/;

export const err = (status: number, kind: string, message: string, field: string | null = null): Reply => ({
  status, body: { error: { kind, message, field } },
});
const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** A tiny but real PDF (one empty page), so the browser and the tests see application/pdf. */
export function tinyPdf(title: string): string {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];
  let out = `%PDF-1.4\n% ${title}\n`;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${out}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

const pdfReply = (name: string): Reply => ({
  status: 200, text: tinyPdf(name), headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}"` },
});

interface Run { batch_run_id: number; month: string; status: string; count: number; output: string | null; started_at: string; finished_at: string; started_by: string }

export function eligibilityHandler(reg: MockRegister, people: RegPerson[]) {
  const runs: Run[] = [];
  const today = () => nowIso().slice(0, 10);
  seedLedgers(reg, people);

  const registerOf = (p: RegPerson) => {
    const periods = reg.periods.get(p.person_id) ?? [];
    const t = today();
    const now = periods.find((x) => x.acquired_on <= t && (x.lost_on === null || t < x.lost_on));
    return {
      person_id: p.person_id, insured_no: p.insured_no,
      today: { insured: !!now, category: now?.category ?? null, period_no: now?.period_no ?? null },
      periods,
      facts: reg.facts.filter((f) => f.person_id === p.person_id).map(({ person_id: _p, ...f }) => f),
      medical_insurance: reg.meds.filter((m) => m.person_id === p.person_id).map(({ person_id: _p, ...m }) => ({ ...m, insurer_kind_label: LABELS.insurer_kinds.find((k) => k.code === m.insurer_kind)?.label })),
      former_address_rules: reg.rules.filter((r) => r.person_id === p.person_id),
      exemptions: reg.exemptions.filter((x) => x.person_id === p.person_id),
      revisions: reg.revisions.get(p.person_id) ?? [],
      cards: reg.cards.get(p.person_id) ?? [],
    };
  };

  return async (method: string, path: string, params: URLSearchParams, body: () => Promise<Record<string, unknown>>, user: { user_id: string; roles: string[] }): Promise<Reply | undefined> => {
    const writer = user.roles.some((r) => WRITERS.has(r));
    const reader = user.roles.some((r) => READERS.has(r));
    const src = (cause: string) => ({ source: 'staff', actor: user.user_id, cause });
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === '/code-lists/eligibility') return reader ? ok(LABELS) : err(403, 'forbidden', '資格を扱う権限がありません');

    if ((m = /^\/persons\/([^/]+)\/(eligibility(?:\/facts(?:\/(\d+)\/cancel)?)?|former-address-rules|exemptions|insurance-card\.pdf)$/.exec(path))) {
      const p = reg.person(decodeURIComponent(m[1]));
      if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      if (method === 'GET' && m[2] === 'eligibility') return reader ? ok(registerOf(p)) : err(403, 'forbidden', '資格を扱う権限がありません');
      if (!writer) return err(403, 'forbidden', '資格を変更する権限がありません');
      if (method === 'GET' && m[2] === 'insurance-card.pdf') {
        const reason = params.get('reason') || 'new';
        if (!LABELS.card_reasons.some((c) => c.code === reason)) return err(400, 'invalid_input', '交付事由が正しくありません', 'reason');
        if (!registerOf(p).today.insured) return err(409, 'conflict', '本日時点で資格がないため被保険者証を交付できません', 'insured_no');
        reg.issueCard(p.person_id, reason, user.user_id);
        return pdfReply(`insurance-card-${p.person_id}.pdf`);
      }
      if (method !== 'POST' || m[2] === 'eligibility') return undefined;
      const b = await body();
      if (m[2] === 'eligibility/facts') {
        const kind = String(b.kind ?? ''), on = String(b.on ?? ''), newOn = b.new_address_on ? String(b.new_address_on) : null;
        if (!LABELS.address_fact_kinds.some((k) => k.code === kind)) return err(400, 'invalid_input', '種別が正しくありません', 'kind');
        if (!ISO.test(on)) return err(400, 'invalid_input', '異動日が正しくありません', 'on');
        if (newOn && (kind !== 'move_out' || newOn < on)) return err(400, 'invalid_input', '転入先の転入日が正しくありません', 'new_address_on');
        if (!String(b.reason ?? '').trim()) return err(400, 'invalid_input', '理由を入力してください', 'reason');
        reg.addFact(p.person_id, { kind, on, new_address_on: newOn, registry_movement_id: null }, { source: 'staff', actor: user.user_id, cause: '' });
        const label = LABELS.address_fact_kinds.find((k) => k.code === kind)!.label;
        return ok(reg.rederive(p.person_id, src(`職権 ${label}`)), 201);
      }
      if (m[3]) {
        const f = reg.facts.find((x) => x.fact_id === Number(m![3]) && x.person_id === p.person_id);
        if (!f) return err(404, 'not_found', '該当する異動がありません');
        if (f.cancelled) return err(409, 'conflict', 'この異動はすでに取り消されています');
        const reason = String(b.reason ?? '').trim();
        if (!reason) return err(400, 'invalid_input', '取消の理由を入力してください', 'reason');
        Object.assign(f, { cancelled: true, cancel_reason: reason });
        return ok(reg.rederive(p.person_id, src(`異動の取消 (${f.kind_label})`)));
      }
      if (m[2] === 'former-address-rules') {
        const kind = LABELS.facility_kinds.find((k) => k.code === b.facility_kind);
        if (!['ours_living_elsewhere', 'theirs_living_here'].includes(String(b.direction))) return err(400, 'invalid_input', '区分が正しくありません', 'direction');
        if (!kind || !kind.former_address_rule) return err(400, 'invalid_input', '住所地特例の対象施設ではありません (法13条)', 'facility_kind');
        if (!ISO.test(String(b.started_on ?? ''))) return err(400, 'invalid_input', '開始日が正しくありません', 'started_on');
        if (reg.rules.some((r) => r.person_id === p.person_id && !r.ended_on)) return err(409, 'conflict', '適用中の住所地特例があります');
        const rule_id = reg.nextRuleId();
        const ours = b.direction === 'ours_living_elsewhere';
        reg.rules.push({
          rule_id, person_id: p.person_id, name_kanji: p.name_kanji, insured_no: p.insured_no, direction: String(b.direction),
          direction_label: ours ? '他市町村に住む当市の被保険者' : '当市に住む他市町村の被保険者', facility_kind: kind.code, facility_kind_label: kind.label,
          facility_name: String(b.facility_name ?? ''), facility_municipality_code: String(b.facility_municipality_code ?? ''), other_insurer_no: String(b.other_insurer_no ?? ''),
          started_on: String(b.started_on), ended_on: null, source: 'staff', recorded_at: nowIso(), recorded_by: user.user_id,
        });
        return ok({ rule_id, ...reg.rederive(p.person_id, src('住所地特例 開始')) }, 201);
      }
      const kind = LABELS.exempt_facility_kinds.find((k) => k.code === b.facility_kind);
      if (!kind) return err(400, 'invalid_input', '施設種別が正しくありません', 'facility_kind');
      if (!ISO.test(String(b.entered_on ?? ''))) return err(400, 'invalid_input', '入所日が正しくありません', 'entered_on');
      const exemption_id = reg.nextExemptionId();
      reg.exemptions.push({
        exemption_id, person_id: p.person_id, name_kanji: p.name_kanji, insured_no: p.insured_no, facility_kind: kind.code, facility_kind_label: kind.label,
        facility_name: String(b.facility_name ?? ''), entered_on: String(b.entered_on), left_on: null, source: 'staff', recorded_at: nowIso(), recorded_by: user.user_id,
      });
      return ok({ exemption_id, ...reg.rederive(p.person_id, src('適用除外 開始')) }, 201);
    }

    if (method === 'POST' && (m = /^\/(former-address-rules|exemptions)\/(\d+)\/end$/.exec(path))) {
      if (!writer) return err(403, 'forbidden', '資格を変更する権限がありません');
      const b = await body();
      if (m[1] === 'former-address-rules') {
        const r = reg.rules.find((x) => x.rule_id === Number(m![2]));
        if (!r) return err(404, 'not_found', '該当する住所地特例がありません');
        if (r.ended_on) return err(409, 'conflict', 'すでに終了しています');
        const end = String(b.ended_on ?? '');
        if (!ISO.test(end) || end < r.started_on) return err(400, 'invalid_input', '終了日が正しくありません', 'ended_on');
        r.ended_on = end;
        return ok(reg.rederive(r.person_id, src('住所地特例 終了')));
      }
      const x = reg.exemptions.find((e) => e.exemption_id === Number(m![2]));
      if (!x) return err(404, 'not_found', '該当する適用除外がありません');
      if (x.left_on) return err(409, 'conflict', 'すでに終了しています');
      const left = String(b.left_on ?? '');
      if (!ISO.test(left) || left < x.entered_on) return err(400, 'invalid_input', '退所日が正しくありません', 'left_on');
      x.left_on = left;
      return ok(reg.rederive(x.person_id, src('適用除外 終了')));
    }

    if (method === 'GET' && (path === '/former-address-rules' || path === '/exemptions')) {
      if (!writer) return err(403, 'forbidden', '資格を扱う権限がありません');
      const openOn = params.get('open_on');
      const limit = Math.min(Number(params.get('limit')) || 100, 1000);
      if (path === '/exemptions') {
        const items = reg.exemptions.filter((x) => !openOn || (x.entered_on <= openOn && (!x.left_on || openOn < x.left_on)));
        return ok({ items: items.slice(0, limit) });
      }
      const direction = params.get('direction');
      const items = reg.rules.filter((r) => (!direction || r.direction === direction) && (!openOn || (r.started_on <= openOn && (!r.ended_on || openOn < r.ended_on))));
      return ok({ items: items.slice(0, limit) });
    }

    if (path === '/batches/insurance-cards-turning-65' || /^\/batches\/\d+\/output\.pdf$/.test(path)) {
      if (!writer) return err(403, 'forbidden', '資格を扱う権限がありません');
      if (method === 'GET' && path.endsWith('.pdf')) {
        const run = runs.find((r) => path === `/batches/${r.batch_run_id}/output.pdf`);
        return run && run.output ? pdfReply(run.output) : err(404, 'not_found', '印刷ファイルがありません');
      }
      if (method === 'GET') return ok({ items: [...runs].reverse() });
      const month = String((await body()).month ?? '');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return err(400, 'invalid_input', '対象月が正しくありません', 'month');
      // Everybody insured here whose 65th birthday falls in the month.
      const y = Number(month.slice(0, 4)) - 65;
      const count = people.filter((p) => p.birth_date.startsWith(`${y}${month.slice(4)}`) && reg.person(p.person_id) && (reg.periods.get(p.person_id) ?? []).some((x) => !x.lost_on)).length;
      const run: Run = {
        batch_run_id: runs.length + 1, month, status: count ? 'completed' : 'empty', count, output: count ? `cards-65-${month}.pdf` : null,
        started_at: nowIso(), finished_at: nowIso(), started_by: user.user_id,
      };
      runs.push(run);
      return ok(run, 201);
    }
    return undefined;
  };
}

// A few 住所地特例 in both directions and two 適用除外, so the lists have rows.
function seedLedgers(reg: MockRegister, people: RegPerson[]): void {
  const kinds = LABELS.facility_kinds;
  people.slice(40, 46).forEach((p, i) => {
    reg.person(p.person_id);
    const ours = i % 2 === 0;
    const kind = kinds[i % 4];
    reg.rules.push({
      rule_id: reg.nextRuleId(), person_id: p.person_id, name_kanji: p.name_kanji, insured_no: p.insured_no,
      direction: ours ? 'ours_living_elsewhere' : 'theirs_living_here', direction_label: ours ? '他市町村に住む当市の被保険者' : '当市に住む他市町村の被保険者',
      facility_kind: kind.code, facility_kind_label: kind.label, facility_name: ['特別養護老人ホーム さくら苑', '老健 みどりの丘', '介護医療院 あおば', 'ケアホーム ひまわり'][i % 4],
      facility_municipality_code: ours ? '012041' : '011002', other_insurer_no: ours ? '011002' : '012041',
      started_on: addDays('2023-04-01', i * 97), ended_on: i === 5 ? '2025-03-31' : null, source: i % 3 ? 'staff' : 'counter_case', recorded_at: '2023-04-02T09:00:00Z', recorded_by: 'demo',
    });
  });
  people.slice(50, 52).forEach((p, i) => {
    reg.person(p.person_id);
    const kind = LABELS.exempt_facility_kinds[i];
    reg.exemptions.push({
      exemption_id: reg.nextExemptionId(), person_id: p.person_id, name_kanji: p.name_kanji, insured_no: p.insured_no, facility_kind: kind.code,
      facility_kind_label: kind.label, facility_name: ['障害者支援施設 ひかり園', '医療型障害児入所施設 こだま'][i], entered_on: addDays('2024-06-01', i * 120),
      left_on: null, source: 'staff', recorded_at: '2024-06-03T10:00:00Z', recorded_by: 'demo',
    });
    reg.rederive(p.person_id, { source: 'staff', actor: 'demo', cause: '適用除外 開始' }, '2024-06-03T10:00:00Z');
  });
}

export { addDays };
