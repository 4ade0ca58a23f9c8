// Counter cases (SK-01 and their inquiries), the 住基 loads and quarantine, and the registry
// simulator of the mock API (docs/api-eligibility.md), dev server only. The simulator's movements
// arrive as a difference load that the "dispatcher" applies one second later, as the server's
// worker does; a 転入 makes a new person with a 住基 fact.
import { err } from './eligibility';
import { inquiryNow, startCaseInquiry, type Reply } from './inquiries';
import { addDays, MockRegister, nowIso, type RegPerson } from './register';
import type { CaseInquiry, ChecklistItem, JukiLoad, MovementCase, QuarantineRow } from '../src/eligibility_types';

const KIND_LABELS: Record<string, string> = {
  move_in: '転入', certificate_move_in: '転入 (受給資格証明書あり)', move_out: '転出', emigration: '国外転出', relocation: '転居', death: '死亡',
  birth: '出生', name_change: '氏名変更', household_change: '世帯変更', former_address_rule_start: '住所地特例 開始',
  former_address_rule_end: '住所地特例 終了', exemption_start: '適用除外 開始', exemption_end: '適用除外 終了', medical_insurance_change: '医療保険 異動',
};

const CHECKLISTS: Record<string, [string, string][]> = {
  move_in: [['former_city_address', '前住所地への住民票関係情報照会 (SK-04)'], ['medical_insurance', '医療保険の確認 (SK-12)'], ['public_assistance', '生活保護の確認 (SK-14)'], ['card', '被保険者証の交付 (SK-17)']],
  certificate_move_in: [['certificate', '受給資格証明書の確認 (SK-08)'], ['former_city_address', '前住所地への住民票関係情報照会 (SK-04)'], ['card', '被保険者証の交付 (SK-17)']],
  move_out: [['card_return', '被保険者証の返還'], ['new_address', '転出先の確認']],
  death: [['card_return', '被保険者証の返還']],
  former_address_rule_start: [['former_address_rule', '住所地特例の確認 (SK-10)']],
};
const ITEM_OF_KIND: Record<string, string> = {
  city_resident: 'former_city_address', iryo_insurance: 'medical_insurance', pref_public_assistance: 'public_assistance',
  city_certificate: 'certificate', city_former_address_rule: 'former_address_rule',
};
const FLOW: Record<string, string> = { city_resident: 'SK-04', city_certificate: 'SK-08', city_former_address_rule: 'SK-10', iryo_insurance: 'SK-12', pref_public_assistance: 'SK-14' };
const FACT_OF: Record<string, string> = { move_in: 'move_in', certificate_move_in: 'move_in', move_out: 'move_out', emigration: 'emigration', death: 'death' };

type StoredCase = MovementCase & { checklist: ChecklistItem[]; inquiries: CaseInquiry[] };

export function casesHandler(reg: MockRegister, people: RegPerson[], addPerson: (n: number, movedInOn: string) => RegPerson) {
  const cases: StoredCase[] = [];
  const loads: JukiLoad[] = [
    { load_id: 1, exchange_id: 1, kind: 'full', file_name: 'JUKI_FULL_20200106.csv', received_at: '2020-01-06T10:00:00Z', lines: people.length, applied: people.length, duplicates: 0, quarantined: 0, status: 'applied', reason: null },
    { load_id: 2, exchange_id: 4, kind: 'diff', file_name: 'JUKI_DIFF_20261120.csv', received_at: '2026-11-20T18:00:00Z', lines: 14, applied: 12, duplicates: 0, quarantined: 2, status: 'applied', reason: null },
  ];
  const quarantine: QuarantineRow[] = [
    { quarantine_id: 1, load_id: 2, line_no: 5, field: '生年月日', message: '生年月日が日付ではありません', status: 'open', resolved_by: null, resolved_at: null, resolution: null },
    { quarantine_id: 2, load_id: 2, line_no: 9, field: '宛名番号', message: '転居の対象となる宛名がありません', status: 'open', resolved_by: null, resolved_at: null, resolution: null },
  ];
  const pending: { due: number; load: JukiLoad; moves: { n: number; on: string }[] }[] = [];
  let simDay = nowIso().slice(0, 10);
  let simSeq = 0;

  // The "dispatcher": loads older than a second are applied.
  const pump = () => {
    const now = Date.now();
    while (pending.length && pending[0].due <= now) {
      const { load, moves } = pending.shift()!;
      for (const mv of moves) {
        const p = addPerson(mv.n, mv.on);
        reg.markNew(p.person_id);
        reg.addFact(p.person_id, { kind: 'move_in', on: mv.on, new_address_on: null, registry_movement_id: `S${String(mv.n).padStart(7, '0')}` }, { source: 'juki', exchange_id: load.exchange_id, actor: 'channel:juki', cause: '' });
        reg.meds.push({ person_id: p.person_id, insurer_kind: 'kokuho', insurer_no: '149800', valid_from: mv.on, valid_to: null });
        reg.rederive(p.person_id, { source: 'juki', exchange_id: load.exchange_id, actor: 'channel:juki', cause: '住基異動 転入 (SK-16)' });
      }
      Object.assign(load, { status: 'applied', applied: load.lines });
    }
  };

  const view = (c: StoredCase): StoredCase => {
    for (const q of c.inquiries) {
      const now = inquiryNow(q.inquiry_id);
      if (now) Object.assign(q, { status: now.status, answer: now.answer });
    }
    return c;
  };

  const handle = async (method: string, path: string, _params: URLSearchParams, body: () => Promise<Record<string, unknown>>, user: { user_id: string; roles: string[] }): Promise<Reply | undefined> => {
    if (!/^\/(movement-cases|juki|simulators)/.test(path)) return undefined;
    if (!user.roles.some((r) => r === 'eligibility_staff' || r === 'supervisor')) return err(403, 'forbidden', '資格を扱う権限がありません');
    const params = _params;
    let m: RegExpExecArray | null;

    if (path === '/simulators' && method === 'GET') return { status: 200, body: { items: [{ counterpart: 'juki', label: '住民基本台帳 (模擬)' }] } };
    if ((m = /^\/simulators\/([^/]+)\/advance$/.exec(path)) && method === 'POST') {
      if (m[1] !== 'juki') return err(404, 'not_found', 'その模擬システムはありません');
      const days = Number((await body()).days);
      if (!Number.isInteger(days) || days < 1 || days > 366) return err(400, 'invalid_input', '日数は1〜366です', 'days');
      // One 転入 every second simulated day (someone aged 66–80, so insured at once). The mock's
      // registry catches up to today: the days lived are the last `days` days.
      const today = nowIso().slice(0, 10);
      const moves: { n: number; on: string }[] = [];
      for (let d = 1; d <= days; d++) if ((simSeq + d) % 2 === 0) moves.push({ n: simSeq * 1000 + d, on: addDays(today, d - days) });
      simSeq += days;
      simDay = today;
      const load: JukiLoad = {
        load_id: loads.length + 1, exchange_id: 100 + loads.length, kind: 'diff', file_name: `JUKI_DIFF_${simDay.replace(/-/g, '')}.csv`,
        received_at: nowIso(), lines: moves.length, applied: 0, duplicates: 0, quarantined: 0, status: 'staged', reason: null,
      };
      loads.push(load);
      pending.push({ due: Date.now() + 1000, load, moves });
      return { status: 200, body: { summary: `${days}日 (〜${simDay}): 転入 ${moves.length}件` } };
    }
    if (path === '/juki/loads' && method === 'GET') return { status: 200, body: { items: [...loads].reverse().slice(0, Number(params.get('limit')) || 50) } };
    if (path === '/juki/quarantine' && method === 'GET') {
      const status = params.get('status');
      return { status: 200, body: { items: quarantine.filter((q) => !status || q.status === status) } };
    }
    if ((m = /^\/juki\/quarantine\/(\d+)\/resolve$/.exec(path)) && method === 'POST') {
      const q = quarantine.find((x) => x.quarantine_id === Number(m![1]));
      if (!q) return err(404, 'not_found', '該当する保留がありません');
      if (q.status === 'resolved') return err(409, 'conflict', 'すでに処理済です');
      const resolution = String((await body()).resolution ?? '').trim();
      if (!resolution) return err(400, 'invalid_input', '処理内容を入力してください', 'resolution');
      Object.assign(q, { status: 'resolved', resolution, resolved_by: user.user_id, resolved_at: nowIso() });
      return { status: 200, body: q };
    }

    if (path === '/movement-cases') {
      if (method === 'GET') {
        const status = params.get('status');
        const items = cases.filter((c) => !status || c.status === status).map(({ checklist: _c, inquiries: _i, ...summary }) => summary);
        return { status: 200, body: { items: items.reverse() } };
      }
      const b = await body();
      const kind = String(b.movement_kind ?? '');
      if (!KIND_LABELS[kind]) return err(400, 'invalid_input', '異動の種別が正しくありません', 'movement_kind');
      const personId = b.person_id ? String(b.person_id) : null;
      const p = personId ? reg.person(personId) : undefined;
      if (personId && !p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      for (const f of ['movement_date', 'notified_on']) if (!/^\d{4}-\d{2}-\d{2}$/.test(String(b[f] ?? ''))) return err(400, 'invalid_input', '日付が正しくありません', f);
      const c: StoredCase = {
        case_id: cases.length + 1, person_id: personId, name_kanji: p?.name_kanji ?? null, movement_kind: kind, movement_kind_label: KIND_LABELS[kind],
        movement_date: String(b.movement_date), new_address_on: b.new_address_on ? String(b.new_address_on) : null, notified_on: String(b.notified_on), notifier: String(b.notifier ?? '本人'), status: 'open', note: String(b.note ?? ''),
        checklist: (CHECKLISTS[kind] ?? [['documents', '届出書類の確認']]).map(([item, label]) => ({ item, label, done: false, done_by: null, done_at: null })),
        inquiries: [], non_registered: null, outcome: null, cancel_reason: null, created_at: nowIso(), created_by: user.user_id, completed_at: null, completed_by: null,
      };
      cases.push(c);
      return { status: 201, body: c };
    }
    if (!(m = /^\/movement-cases\/(\d+)(\/.*)?$/.exec(path))) return undefined;
    const c = cases.find((x) => x.case_id === Number(m![1]));
    if (!c) return err(404, 'not_found', '該当する受付がありません');
    const rest = m[2] ?? '';
    if (method === 'GET' && rest === '') return { status: 200, body: view(c) };
    if (method !== 'POST') return undefined;
    if (c.status !== 'open') return err(409, 'conflict', 'この受付はすでに完了または取消済です');
    const b = await body();
    const tick = (item: string, done: boolean) => {
      const it = c.checklist.find((x) => x.item === item);
      if (it) Object.assign(it, { done, done_by: done ? user.user_id : null, done_at: done ? nowIso() : null });
      return it;
    };
    if (rest === '/person') {
      const p = reg.person(String(b.person_id ?? ''));
      if (!p) return err(404, 'not_found', '該当する宛名がありません', 'person_id');
      if (c.person_id) return err(409, 'conflict', 'この受付にはすでに対象者がいます');
      Object.assign(c, { person_id: p.person_id, name_kanji: p.name_kanji });
      return { status: 200, body: view(c) };
    }
    if ((m = /^\/checklist\/([^/]+)$/.exec(rest))) {
      if (!tick(decodeURIComponent(m[1]), b.done === true)) return err(404, 'not_found', 'その確認項目はありません');
      return { status: 200, body: view(c) };
    }
    if (rest === '/inquiries') {
      const kind = String(b.kind ?? '');
      if (!FLOW[kind]) return err(400, 'invalid_input', '照会の種別が正しくありません', 'kind');
      if (!c.person_id) return err(409, 'conflict', '宛名のない受付からは照会できません');
      const q = startCaseInquiry(c.person_id, kind, `異動受付 #${c.case_id} (${c.movement_kind_label})`, user.user_id, people.map((p) => p.person_id));
      if (!q) return err(400, 'invalid_input', '照会の種別が正しくありません', 'kind');
      c.inquiries.push({ inquiry_id: q.inquiry_id, kind, flow_id: FLOW[kind], status: q.status, answer: null, applied: false, applied_at: null, apply_summary: null });
      return { status: 200, body: view(c) };
    }
    if ((m = /^\/inquiries\/(\d+)\/apply$/.exec(rest))) {
      view(c);
      const q = c.inquiries.find((x) => x.inquiry_id === Number(m![1]));
      if (!q) return err(404, 'not_found', '該当する照会がありません');
      if (q.status !== 'provided' || q.applied) return err(409, 'conflict', '回答のある未適用の照会だけ適用できます');
      let summary = `${q.flow_id} の回答を受付に記録しました`;
      if (q.kind === 'iryo_insurance' && c.person_id) {
        const from = c.movement_date;
        reg.meds.push({ person_id: c.person_id, insurer_kind: 'kokuho', insurer_no: String(q.answer?.items?.insurer_no ?? '149800'), valid_from: from, valid_to: null });
        reg.rederive(c.person_id, { source: 'inquiry', case_id: c.case_id, actor: user.user_id, cause: '医療保険情報の適用 (SK-13)' });
        summary = `医療保険 (保険者番号 ${String(q.answer?.items?.insurer_no ?? '149800')}) を${from}から記録しました`;
      }
      Object.assign(q, { applied: true, applied_at: nowIso(), apply_summary: summary });
      tick(ITEM_OF_KIND[q.kind] ?? '', true);
      return { status: 200, body: view(c) };
    }
    if (rest === '/non-registered/question') {
      if (!String(b.question ?? '').trim()) return err(400, 'invalid_input', '照会内容を入力してください', 'question');
      c.non_registered = { question: String(b.question), asked_on: String(b.asked_on), asked_by: user.user_id, answer: null, answered_on: null };
      return { status: 200, body: view(c) };
    }
    if (rest === '/non-registered/answer') {
      if (!c.non_registered) return err(409, 'conflict', '先に住登外の照会を記録してください');
      if (!String(b.answer ?? '').trim()) return err(400, 'invalid_input', '回答内容を入力してください', 'answer');
      Object.assign(c.non_registered, { answer: String(b.answer), answered_on: String(b.answered_on) });
      return { status: 200, body: view(c) };
    }
    if (rest === '/complete') {
      const fact = FACT_OF[c.movement_kind];
      if (fact && !c.person_id) return err(409, 'conflict', '宛名が登録されてから完了してください (住基の転入を待つ)');
      if (fact && c.person_id) {
        reg.addFact(c.person_id, { kind: fact, on: c.movement_date, new_address_on: fact === 'move_out' ? (c.new_address_on ?? null) : null, registry_movement_id: null }, { source: 'counter_case', case_id: c.case_id, actor: user.user_id, cause: '' });
        const o = reg.rederive(c.person_id, { source: 'counter_case', case_id: c.case_id, actor: user.user_id, cause: `窓口 ${c.movement_kind_label} (SK-01)` });
        c.outcome = { revision_id: o.revision_id, changes: o.changes };
      } else c.outcome = { revision_id: null, changes: [] };
      Object.assign(c, { status: 'completed', completed_at: nowIso(), completed_by: user.user_id });
      return { status: 200, body: view(c) };
    }
    if (rest === '/cancel') {
      const reason = String(b.reason ?? '').trim();
      if (!reason) return err(400, 'invalid_input', '取消の理由を入力してください', 'reason');
      Object.assign(c, { status: 'cancelled', cancel_reason: reason, completed_at: nowIso(), completed_by: user.user_id });
      return { status: 200, body: view(c) };
    }
    return undefined;
  };
  return { handle, pump };
}
