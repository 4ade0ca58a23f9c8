// The mock's insured register (dev server only): address facts, medical insurance, 適用除外 and
// 住所地特例 per person; periods derived from them by a simplified reading of 法9–11条 (第1号 from
// the day before the 65th birthday, 第2号 40–64 while in a medical insurance, loss the day after
// leaving — or the new city's 転入日 — and the day after death/emigration or entering an exempt
// facility); every change a revision with its diff. Enough to drive the screens, not the law.
import type { AddressFact, CardIssue, Exemption, FormerAddressRule, MedicalInsurance, Period, PeriodChange, Revision } from '../src/eligibility_types';

export interface RegPerson {
  person_id: string;
  name_kanji: string;
  birth_date: string;
  insured_no: string | null;
  registry_status: string;
}

export interface Source {
  source: string;
  exchange_id?: number | null;
  case_id?: number | null;
  actor: string;
  cause: string;
}

export const LABELS = {
  address_fact_kinds: [
    { code: 'move_in', label: '転入' }, { code: 'move_out', label: '転出' }, { code: 'emigration', label: '国外転出' }, { code: 'death', label: '死亡' },
  ],
  facility_kinds: [
    { code: 'special_nursing_home', label: '介護老人福祉施設 (特養)', former_address_rule: true },
    { code: 'health_facility', label: '介護老人保健施設', former_address_rule: true },
    { code: 'medical_care_facility', label: '介護医療院', former_address_rule: true },
    { code: 'fee_based_home', label: '有料老人ホーム', former_address_rule: true },
    { code: 'low_cost_home', label: '軽費老人ホーム', former_address_rule: true },
    { code: 'nursing_home', label: '養護老人ホーム', former_address_rule: true },
    { code: 'community_based', label: '地域密着型施設 (対象外)', former_address_rule: false },
  ],
  exempt_facility_kinds: [
    { code: 'disability_support', label: '障害者支援施設' }, { code: 'medical_rehab', label: '医療型障害児入所施設' },
    { code: 'hansen', label: 'ハンセン病療養所' }, { code: 'relief', label: '救護施設' },
  ],
  acquisition_reasons: [
    { code: 'reaching_65', label: '65歳到達' }, { code: 'reaching_40_with_medical_insurance', label: '40歳到達' },
    { code: 'move_in', label: '転入' }, { code: 'medical_insurance_gained', label: '医療保険加入' },
    { code: 'left_exempt_facility', label: '適用除外施設退所' }, { code: 'former_address_rule_ended', label: '住所地特例終了' },
    { code: 'category_change', label: '第1号到達' },
  ],
  loss_reasons: [
    { code: 'move_out_domestic', label: '転出' }, { code: 'emigration', label: '国外転出' }, { code: 'death', label: '死亡' },
    { code: 'medical_insurance_lost', label: '医療保険喪失' }, { code: 'entered_exempt_facility', label: '適用除外施設入所' },
    { code: 'former_address_rule_elsewhere', label: '住所地特例 (他市町村)' }, { code: 'former_address_rule_ended', label: '住所地特例終了' },
    { code: 'category_change', label: '第1号到達' },
  ],
  card_reasons: [
    { code: 'new', label: '新規交付' }, { code: 'reissue_lost', label: '再交付 (紛失)' },
    { code: 'reissue_damaged', label: '再交付 (汚損)' }, { code: 'reissue_change', label: '再交付 (記載事項変更)' },
  ],
  insurer_kinds: [
    { code: 'kokuho', label: '国民健康保険' }, { code: 'kyokai_kenpo', label: '協会けんぽ' }, { code: 'kumiai', label: '健康保険組合' },
    { code: 'kyosai', label: '共済組合' }, { code: 'koki', label: '後期高齢者医療' },
  ],
};

const label = (list: { code: string; label: string }[], code: string | null) => (code ? (list.find((c) => c.code === code)?.label ?? code) : null);

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The day before the birthday of `age` (民法: the age is reached then). */
function reaching(birth: string, age: number): string {
  return addDays(`${String(Number(birth.slice(0, 4)) + age).padStart(4, '0')}${birth.slice(4)}`, -1);
}

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Seg { from: string; to: string | null; cat: string; acq: string; loss: string | null }

export class MockRegister {
  facts: (AddressFact & { person_id: string })[] = [];
  meds: (MedicalInsurance & { person_id: string })[] = [];
  exemptions: Exemption[] = [];
  rules: FormerAddressRule[] = [];
  periods = new Map<string, Period[]>();
  revisions = new Map<string, Revision[]>();
  cards = new Map<string, CardIssue[]>();
  private ids = { fact: 1, rev: 1, rule: 1, ex: 1, card: 1, no: 1 };
  private seeded = new Set<string>();

  constructor(private people: RegPerson[]) {}

  person(id: string): RegPerson | undefined {
    const p = this.people.find((x) => x.person_id === id);
    if (p) this.seed(p);
    return p;
  }

  /** A person the registry simulator just created: their facts come with the movement. */
  markNew(id: string): void {
    this.seeded.add(id);
  }

  /** First touch: the person as the registry's full load left them (a 転入 in 2000, kokuho). */
  private seed(p: RegPerson): void {
    if (this.seeded.has(p.person_id)) return;
    this.seeded.add(p.person_id);
    const at = '2020-01-06T10:00:00Z';
    this.addFact(p.person_id, { kind: 'move_in', on: '2000-04-01', new_address_on: null, registry_movement_id: 'FULL-2000' }, { source: 'juki', exchange_id: 1, actor: 'channel:juki', cause: '' }, at);
    if (p.registry_status === 'moved_out') this.addFact(p.person_id, { kind: 'move_out', on: '2025-06-30', new_address_on: '2025-06-30', registry_movement_id: 'M0000120' }, { source: 'juki', exchange_id: 2, actor: 'channel:juki', cause: '' }, at);
    if (p.registry_status === 'deceased') this.addFact(p.person_id, { kind: 'death', on: '2025-09-14', new_address_on: null, registry_movement_id: 'M0000131' }, { source: 'juki', exchange_id: 3, actor: 'channel:juki', cause: '' }, at);
    if (!/[38]$/.test(p.person_id)) this.meds.push({ person_id: p.person_id, insurer_kind: 'kokuho', insurer_no: '149800', valid_from: '2000-04-01', valid_to: null });
    this.rederive(p.person_id, { source: 'synthetic_city', actor: 'mock', cause: '台帳の初期作成' }, at);
  }

  addFact(personId: string, f: { kind: string; on: string; new_address_on: string | null; registry_movement_id: string | null }, s: Source, at = nowIso()) {
    this.facts.push({
      fact_id: this.ids.fact++, person_id: personId, kind: f.kind, kind_label: label(LABELS.address_fact_kinds, f.kind)!, on: f.on,
      new_address_on: f.new_address_on, source: s.source, source_exchange_id: s.exchange_id ?? null, case_id: s.case_id ?? null,
      registry_movement_id: f.registry_movement_id, recorded_at: at, recorded_by: s.actor, cancelled: false, cancel_reason: null,
    });
  }

  private derive(personId: string): Period[] {
    const p = this.people.find((x) => x.person_id === personId)!;
    const facts = this.facts.filter((f) => f.person_id === personId && !f.cancelled).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.fact_id - b.fact_id));
    const stays: { from: string; to: string | null; loss: string | null }[] = [];
    let open: string | null = null;
    for (const f of facts) {
      if (f.kind === 'move_in' && open === null) open = f.on;
      else if (f.kind !== 'move_in' && open !== null) {
        const to = f.kind === 'move_out' ? (f.new_address_on ?? addDays(f.on, 1)) : addDays(f.on, 1);
        stays.push({ from: open, to, loss: f.kind === 'move_out' ? 'move_out_domestic' : f.kind });
        open = null;
      }
    }
    if (open !== null) stays.push({ from: open, to: null, loss: null });
    const d40 = reaching(p.birth_date, 40), d65 = reaching(p.birth_date, 65);
    const max = (a: string, b: string) => (a > b ? a : b);
    const min = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
    let segs: Seg[] = [];
    for (const s of stays) {
      const from1 = max(s.from, d65);
      if (s.to === null || from1 < s.to) segs.push({ from: from1, to: s.to, cat: '1', acq: from1 === s.from ? 'move_in' : 'reaching_65', loss: s.loss });
      for (const m of this.meds.filter((x) => x.person_id === personId)) {
        const from2 = max(max(s.from, d40), m.valid_from);
        const to2 = min(min(s.to, d65), m.valid_to);
        if (to2 !== null && from2 >= to2) continue;
        const acq = from2 === s.from ? 'move_in' : from2 === d40 ? 'reaching_40_with_medical_insurance' : 'medical_insurance_gained';
        const loss = to2 === s.to ? s.loss : to2 === d65 ? 'category_change' : 'medical_insurance_lost';
        segs.push({ from: from2, to: to2, cat: '2', acq, loss });
      }
    }
    // 適用除外 (施行法11条): not insured from the day after entering until leaving.
    for (const x of this.exemptions.filter((e) => e.person_id === personId)) {
      const a = addDays(x.entered_on, 1), b = x.left_on;
      segs = segs.flatMap((s) => {
        if ((b !== null && s.from >= b) || (s.to !== null && s.to <= a)) return [s];
        const out: Seg[] = [];
        if (s.from < a) out.push({ ...s, to: a, loss: 'entered_exempt_facility' });
        if (b !== null && (s.to === null || b < s.to)) out.push({ ...s, from: b, acq: 'left_exempt_facility' });
        return out;
      });
    }
    segs.sort((x, y) => (x.from < y.from ? -1 : 1));
    for (let i = 1; i < segs.length; i++) if (segs[i].cat === '1' && segs[i - 1].cat === '2' && segs[i - 1].to === segs[i].from) segs[i].acq = 'category_change';
    return segs.map((s, i) => ({
      period_no: i + 1, acquired_on: s.from, lost_on: s.to, category: s.cat,
      acquisition_reason: s.acq, acquisition_reason_label: label(LABELS.acquisition_reasons, s.acq)!,
      loss_reason: s.loss, loss_reason_label: label(LABELS.loss_reasons, s.loss),
    }));
  }

  /** Re-derive; a change becomes a revision (and a first period a 被保険者番号). */
  rederive(personId: string, s: Source, at = nowIso()) {
    const before = this.periods.get(personId) ?? [];
    const after = this.derive(personId);
    this.periods.set(personId, after);
    const changes = diff(before, after);
    let revisionId: number | null = null;
    if (changes.length) {
      revisionId = this.ids.rev++;
      const earliest = changes.map((c) => (c.after ?? c.before)!.acquired_on).sort()[0];
      const list = this.revisions.get(personId) ?? [];
      list.unshift({ revision_id: revisionId, revised_at: at, revised_by: s.actor, source: s.source, source_exchange_id: s.exchange_id ?? null, case_id: s.case_id ?? null, cause: s.cause, earliest_change_on: earliest, changes });
      this.revisions.set(personId, list);
    }
    const p = this.people.find((x) => x.person_id === personId)!;
    let issued: string | null = null;
    if (after.length && !p.insured_no) {
      p.insured_no = issued = String(2100000000 + this.ids.no++);
    }
    return { revision_id: revisionId, changes, periods: after, issued_insured_no: issued };
  }

  issueCard(personId: string, reason: string, user: string) {
    const list = this.cards.get(personId) ?? [];
    list.unshift({ card_issue_id: this.ids.card++, issued_on: nowIso().slice(0, 10), reason, reason_label: label(LABELS.card_reasons, reason) ?? reason, issued_by: user });
    this.cards.set(personId, list);
  }

  nextRuleId() { return this.ids.rule++; }
  nextExemptionId() { return this.ids.ex++; }
}

function diff(before: Period[], after: Period[]): PeriodChange[] {
  const key = (p: Period) => JSON.stringify({ ...p, period_no: 0 });
  const out: PeriodChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const b = before[i], a = after[i];
    if (b && a) {
      if (key(b) !== key(a)) out.push({ kind: 'changed', before: b, after: a });
    } else if (a) out.push({ kind: 'added', after: a });
    else if (b) out.push({ kind: 'removed', before: b });
  }
  return out;
}
