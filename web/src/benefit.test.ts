import { describe, expect, test } from 'vitest';
import type { BenefitRecord } from './api_benefit';
import { todayIso } from './certification';
import { todayIso as counterToday } from './eligibility';
import { checkAccount, explanationLines, groupByMonth, label, runSummary } from './pages/benefit_format';

const rec = (service_month: string, total_cost: number, copayment: number, status = 'current'): BenefitRecord => ({
  record_id: Math.round(total_cost), claim_no: 'c', service_month, review_month: service_month, office_no: '0170100011', service_kind: '11',
  payment_kind: 'in_kind', days: 4, units: 1000, total_cost, insurance_paid: total_cost - copayment, copayment, public_paid: 0, status,
});

describe('給付実績 by month', () => {
  test('a flat list is grouped newest month first, totals of the current versions only', () => {
    const g = groupByMonth({ items: [rec('2026-08', 10000, 1000), rec('2026-09', 20000, 2000), rec('2026-08', 5000, 500), rec('2026-08', 7000, 700, 'superseded')] });
    expect(g.map((m) => m.service_month)).toEqual(['2026-09', '2026-08']);
    expect(g[1].records).toHaveLength(3);
    expect(g[1].totals).toEqual({ total_cost: 15000, insurance_paid: 13500, copayment: 1500, public_paid: 0 });
  });
  test("the server's own months and totals are kept", () => {
    const totals = { total_cost: 1, insurance_paid: 2, copayment: 3 };
    const g = groupByMonth({ months: [{ service_month: '2026-07', records: [rec('2026-07', 9, 1)], totals }, { service_month: '2026-09', records: [] }] });
    expect(g.map((m) => m.service_month)).toEqual(['2026-09', '2026-07']);
    expect(g[1].totals).toBe(totals);
    expect(g[0].totals.total_cost).toBe(0);
  });
});

describe('explanations', () => {
  test('JSON text, lists of lines, {label,text} / {step,detail} and objects all read in order', () => {
    expect(explanationLines('["a","b"]')).toEqual([{ label: '', text: 'a' }, { label: '', text: 'b' }]);
    expect(explanationLines([{ label: '所得区分', text: '課税世帯' }, { step: '上限額', detail: 44400 }])).toEqual([
      { label: '所得区分', text: '課税世帯' },
      { label: '上限額', text: '44,400' },
    ]);
    expect(explanationLines({ lines: ['x'] })).toEqual([{ label: '', text: 'x' }]);
    expect(explanationLines('{"cap":44400,"members":[1,2]}')).toEqual([{ label: 'cap', text: '44,400' }, { label: 'members', text: '1／2' }]);
    // The co-payment rate's object: Japanese names, facts by their detail, an empty list as なし.
    expect(explanationLines({ decision: '1割: 合計所得 160万円未満', tax_year: 2025, facts: [{ kind: 'tax_income', detail: '合計所得 90万円' }], missing: [], provisional: false })).toEqual([
      { label: '判定', text: '1割: 合計所得 160万円未満' },
      { label: '所得年', text: '2025' },
      { label: '用いた情報', text: '合計所得 90万円' },
      { label: '不足する情報', text: 'なし' },
      { label: '暫定', text: 'いいえ' },
    ]);
    expect(explanationLines('一行目\n二行目')).toHaveLength(2);
    expect(explanationLines(null)).toEqual([]);
  });
});

describe('labels and run answers', () => {
  test('codes in Japanese, an unknown code as sent', () => {
    expect(label('reason_kind', 'provider_fraud')).toContain('加算金');
    expect(label('category', 'household_untaxed')).toBe('世帯全員が市町村民税非課税');
    expect(label('file_status', 'mystery')).toBe('mystery');
    expect(label('file_status', null)).toBe('—');
  });
  test('a run answer is its scalar fields with Japanese names, yen with 円', () => {
    expect(runSummary({ batch_run_id: 1234, decisions: 1200, total: 123400, items: [1] })).toBe('実行ID 1234・決定 1,200・合計 123,400円');
    expect(runSummary(null)).toBe('');
  });
});

describe('the KY-05 account', () => {
  const ok = { bank_code: '0001', branch_code: '001', account_no: '1234567', account_holder_kana: 'ヤマダ タロウ' };
  test('a good account passes; each fault names its field', () => {
    expect(checkAccount(ok)).toBeNull();
    expect(checkAccount({ ...ok, bank_code: '1' })?.field).toBe('bank_code');
    expect(checkAccount({ ...ok, branch_code: 'abc' })?.field).toBe('branch_code');
    expect(checkAccount({ ...ok, account_no: '123' })?.field).toBe('account_no');
    expect(checkAccount({ ...ok, account_holder_kana: '山田' })?.field).toBe('account_holder_kana');
  });
});

describe("the forms' default day", () => {
  test("is today in Japan, as the server's checks have it, whatever the browser's zone", () => {
    // 2026-11-24 15:30 UTC is 2026-11-25 00:30 JST: a care plan or session dated the 24th would be refused.
    const lateUtc = new Date(Date.UTC(2026, 10, 24, 15, 30));
    expect(todayIso(lateUtc)).toBe('2026-11-25');
    expect(counterToday(lateUtc)).toBe('2026-11-25');
    expect(todayIso(new Date(Date.UTC(2026, 11, 31, 14, 59)))).toBe('2026-12-31');
    expect(todayIso(new Date(Date.UTC(2026, 11, 31, 15, 0)))).toBe('2027-01-01');
  });
});
