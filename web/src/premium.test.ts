import { describe, expect, test } from 'vitest';
import {
  alternativeText,
  causeLabel,
  deductionStatus,
  instalmentName,
  instalmentStatusLabel,
  instalmentTotals,
  isLiveInstalment,
  methodLabel,
  monthLabelOf,
  requestKindLabel,
  requestStatusLabel,
  comparisonRows,
  fiscalYearChoices,
  fiscalYearLabel,
  fiscalYearOf,
  formatCountDifference,
  formatDifference,
  formatYen,
  inputSourceText,
  jsonErrorOffset,
  lineAndColumn,
  memberTaxLabel,
  monthsText,
  outcomeText,
  parseTableFile,
  percentChange,
  progressPercent,
  ratioText,
  revisionLabel,
  runJobLabel,
  runStatusLabel,
  taxStatusLabel,
} from './premium';
import type { TableTally } from './premium_types';

describe('yen', () => {
  test('thousands separators and the yen sign', () => {
    expect(formatYen(67230)).toBe('67,230円');
    expect(formatYen(0)).toBe('0円');
    expect(formatYen(1234567890)).toBe('1,234,567,890円');
  });
  test('a negative amount carries a real minus sign', () => expect(formatYen(-1230)).toBe('−1,230円'));
  test('differences always say their sign', () => {
    expect(formatDifference(45950)).toBe('+45,950円');
    expect(formatDifference(-3400)).toBe('−3,400円');
    expect(formatDifference(0)).toBe('±0円');
    expect(formatCountDifference(12)).toBe('+12');
    expect(formatCountDifference(-1200)).toBe('−1,200');
    expect(formatCountDifference(0)).toBe('±0');
  });
});

describe('年度', () => {
  test('the fiscal year starts on 1 April', () => {
    expect(fiscalYearOf(new Date(2026, 2, 31))).toBe(2025);
    expect(fiscalYearOf(new Date(2026, 3, 1))).toBe(2026);
    expect(fiscalYearOf(new Date(2026, 10, 24))).toBe(2026);
  });
  test('in 和暦, the year 令和 began is 令和元年度', () => {
    expect(fiscalYearLabel(2026)).toBe('令和8年度');
    expect(fiscalYearLabel(2019)).toBe('令和元年度');
    expect(fiscalYearLabel(2018)).toBe('平成30年度');
    expect(fiscalYearLabel(1989)).toBe('平成元年度');
  });
  test('the selector offers the next year, the current one and two back, newest first', () =>
    expect(fiscalYearChoices(2026)).toEqual([2027, 2026, 2025, 2024]));
  test('chargeable months as a span', () => {
    expect(monthsText(['2026-04', '2026-05', '2027-03'])).toBe('2026年4月〜2027年3月');
    expect(monthsText(['2026-10'])).toBe('2026年10月');
    expect(monthsText([])).toBe('');
  });
});

describe('labels', () => {
  test('revision causes as staff know them', () => {
    expect(['annual', 'eligibility', 'income', 'household', 'welfare', 'staff'].map(causeLabel)).toEqual([
      '当初(本算定)',
      '資格異動',
      '所得更正',
      '世帯異動',
      '生活保護等',
      '職員',
    ]);
    expect(causeLabel('something_new')).toBe('something_new');
  });
  test('revision 0 is the 当初賦課, later ones 更正', () => {
    expect(revisionLabel(0)).toBe('#0 当初');
    expect(revisionLabel(2)).toBe('#2 更正');
  });
  test('再計算 outcomes', () => {
    expect(outcomeText('unchanged')).toBe('変更なし');
    expect(outcomeText('revised')).toContain('更正');
    expect(outcomeText('not_insured')).toContain('賦課対象外');
  });
  test('tax status and stage conditions read as the ordinance does', () => {
    expect(taxStatusLabel('self_untaxed_household_taxed')).toBe('本人非課税・世帯課税');
    expect(alternativeText({ status: 'household_untaxed', old_age_welfare_pension: true })).toBe('世帯非課税・老齢福祉年金受給者');
    expect(alternativeText({ status: 'self_taxed', measure: 'total_income', interval: '120万円未満' })).toBe('本人課税・合計所得金額 120万円未満');
  });
  test('input sources name the system, the row and the exchange', () => {
    expect(inputSourceText({ table: 'tax_income', id: 12, source: 'tax_office', exchange_id: 5 })).toBe('税務システム・課税台帳 #12・連携 #5');
    expect(inputSourceText({ table: 'tax_income', id: 3, source: 'staff' })).toBe('職権・課税台帳 #3');
    expect(inputSourceText({ table: 'pension', id: 9, source: 'exchange', exchange_id: 77 })).toBe('番号連携・年金 #9・連携 #77');
    expect(inputSourceText(undefined)).toBe('');
  });
  test('household members: 課税, 非課税, or no tax row', () => {
    expect(memberTaxLabel(true)).toBe('課税');
    expect(memberTaxLabel(false)).toBe('非課税');
    expect(memberTaxLabel(null)).toBe('課税情報なし');
  });
  test('runs', () => {
    expect(runJobLabel('premium_annual')).toBe('本算定');
    expect(runJobLabel('premium_revision')).toBe('異動賦課');
    expect(runStatusLabel('running')).toBe('実行中');
    expect(runStatusLabel('done')).toBe('完了');
  });
});

describe('ratios', () => {
  test('exact fractions become decimals', () => {
    expect(ratioText('57/200')).toBe('0.285');
    expect(ratioText('9/10')).toBe('0.9');
    expect(ratioText('12/5')).toBe('2.4');
    expect(ratioText('1/1')).toBe('1');
    expect(ratioText('91/200')).toBe('0.455');
  });
  test('a repeating fraction and a decimal stay as sent', () => {
    expect(ratioText('1/3')).toBe('1/3');
    expect(ratioText('0.455')).toBe('0.455');
    expect(ratioText('1/0')).toBe('1/0');
  });
});

describe('progress', () => {
  test('whole percent, clamped', () => {
    expect(progressPercent(0, 500)).toBe(0);
    expect(progressPercent(250, 500)).toBe(50);
    expect(progressPercent(499, 500)).toBe(99);
    expect(progressPercent(500, 500)).toBe(100);
    expect(progressPercent(600, 500)).toBe(100);
  });
  test('a run with nobody to handle is 0 while running and 100 once done', () => {
    expect(progressPercent(0, 0, 'running')).toBe(0);
    expect(progressPercent(0, 0, 'done')).toBe(100);
  });
});

describe('the proposed table file', () => {
  test('a JSON object is accepted as it is', () => {
    const r = parseTableFile('\uFEFF{"name": "第10期", "versions": []}');
    expect(r).toEqual({ ok: true, value: { name: '第10期', versions: [] } });
  });
  test('broken JSON names the line and column', () => {
    const r = parseTableFile('{\n  "name": "x",\n  "versions": [\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^JSONの構文に誤りがあります: 4行1列/);
  });
  test('an empty file, an array and a bare value are refused', () => {
    expect(parseTableFile('  ')).toEqual({ ok: false, message: 'ファイルが空です' });
    expect(parseTableFile('[]').ok).toBe(false);
    expect(parseTableFile('42').ok).toBe(false);
  });
  test('the first offset where the text stops being JSON', () => {
    expect(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "x\\u00e9"]}')).toBeNull();
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('{"a": "x')).toBe(8);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('{"a": "\\q"}')).toBe(8);
  });
  test('offsets to line and column', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('what-if rows', () => {
  const tally = (stages: [number, number, number][]): TableTally => ({
    name: 't',
    effective_from: '2027-04-01',
    base_amount: 74700,
    persons: stages.reduce((s, [, p]) => s + p, 0),
    revenue: stages.reduce((s, [, , r]) => s + r, 0),
    stages: stages.map(([stage, persons, revenue]) => ({ stage, label: `第${stage}段階`, ratio: '1/1', annual_amount: 0, persons, revenue })),
  });
  test('stages paired by number with proposed − current', () => {
    const rows = comparisonRows(tally([[1, 10, 1000], [2, 5, 900]]), tally([[1, 8, 800], [2, 7, 1400], [3, 1, 300]]));
    expect(rows.map((r) => [r.stage, r.personsDifference, r.revenueDifference])).toEqual([
      [1, -2, -200],
      [2, 2, 500],
      [3, 1, 300],
    ]);
    expect(rows[2].current).toBeNull();
    expect(rows[2].proposed?.label).toBe('第3段階');
  });
  test('a stage the proposal drops counts as 0 on its side', () => {
    const rows = comparisonRows(tally([[1, 10, 1000], [2, 5, 900]]), tally([[1, 15, 1500]]));
    expect(rows[1]).toMatchObject({ stage: 2, proposed: null, personsDifference: -5, revenueDifference: -900 });
  });
  test('revenue change in percent, one decimal', () => {
    expect(percentChange(1000, 1032)).toBe('+3.2%');
    expect(percentChange(1000, 968)).toBe('−3.2%');
    expect(percentChange(1000, 1000)).toBe('±0.0%');
    expect(percentChange(0, 5)).toBe('');
  });
});

describe('徴収', () => {
  test('deduction status: label and tone', () => {
    expect(deductionStatus('deducting')).toEqual({ label: '特別徴収 天引き中', tone: 'ok' });
    expect(deductionStatus('none').label).toContain('普通徴収');
    expect(deductionStatus('not_collected').tone).toBe('bad');
    expect(deductionStatus('odd')).toEqual({ label: 'odd', tone: 'none' });
  });
  test('instalment names: 仮徴収 1–3 and 本徴収 1–3 for the six pension months, 第n期 by slip', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => instalmentName('special', n))).toEqual(['仮徴収 1', '仮徴収 2', '仮徴収 3', '本徴収 1', '本徴収 2', '本徴収 3']);
    expect(instalmentName('ordinary', 10)).toBe('第10期');
    expect(methodLabel('special')).toBe('特別徴収');
    expect(methodLabel('ordinary')).toBe('普通徴収');
  });
  test('live instalments minus refunds add up to the year', () => {
    expect(
      instalmentTotals([
        { method: 'special', amount: 10000, status: 'collected' },
        { method: 'special', amount: 10000, status: 'accepted' },
        { method: 'special', amount: 10000, status: 'stopped' },
        { method: 'ordinary', amount: 5000, status: 'planned' },
        { method: 'ordinary', amount: 5000, status: 'cancelled' },
        { method: 'ordinary', amount: 700, status: 'refund' },
      ]),
    ).toEqual({ special: 20000, ordinary: 4300 });
    expect(isLiveInstalment('not_collected')).toBe(false);
  });
  test('months and request labels', () => {
    expect(monthLabelOf('2026-10')).toBe('2026年10月');
    expect(requestKindLabel('continuing')).toBe('継続');
    expect(requestStatusLabel('not_accepted')).toBe('不能');
    expect(instalmentStatusLabel('cancelled')).toBe('取消 (計画変更)');
  });
});
