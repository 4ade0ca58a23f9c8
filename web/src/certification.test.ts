import { describe, expect, test } from 'vitest';
import {
  actionsFor,
  arrearsCheckLabel,
  barPercent,
  careLevelLabel,
  categoryOn,
  checkIntake,
  clockBar,
  clockLabel,
  clockText,
  clockTone,
  daysBetween,
  daysText,
  filterOf,
  FILTERS,
  groupItems,
  kindLabel,
  minutesText,
  monthLabel,
  monthsBefore,
  needsPostponement,
  parseMonth,
  percentText,
  unitsText,
  validityText,
  type IntakeInput,
} from './certification';
import type { HomeAssessment, PhysicianOpinion } from './certification_types';

const row = (clock: string, days_left: number, days_elapsed = 10, postponed_until: string | null = null) =>
  ({ clock: clock as 'on_time', days_left, days_elapsed, postponed_until });

describe('clock badge', () => {
  test('labels of the five clocks', () => {
    expect(['on_time', 'warning', 'overdue', 'postponed', 'done'].map(clockLabel)).toEqual(['期限内', '期限間近', '期限超過', '延期中', '決定済']);
    expect(clockLabel('other')).toBe('other');
  });
  test('days left, the warning, the deadline day itself, days past it', () => {
    expect(clockText(row('on_time', 12))).toBe('残り12日');
    expect(clockText(row('warning', 3))).toBe('期限間近 残り3日');
    expect(clockText(row('warning', 0))).toBe('本日期限');
    expect(clockText(row('overdue', -3))).toBe('期限超過 3日');
  });
  test('a postponed application names its 見込期日, and says when that too has passed', () => {
    expect(clockText(row('postponed', -2, 32, '2026-12-20'), '2026-12-04')).toBe('延期中 見込12/20');
    expect(clockText(row('postponed', -20, 50, '2026-12-20'), '2026-12-22')).toBe('延期中 見込12/20を超過');
    expect(clockText(row('postponed', -2, 32, null))).toBe('延期中');
  });
  test('a decided application says how many days it took; a withdrawn one says so', () => {
    expect(clockText(row('done', 0, 34))).toBe('決定 34日');
    expect(clockText({ ...row('done', 0, 12), status: 'withdrawn' })).toBe('取下げ');
  });
  test('tone falls back to on_time for an unknown clock', () => {
    expect(clockTone('overdue')).toBe('overdue');
    expect(clockTone('x')).toBe('on_time');
  });
  test('an overdue open application without a postponement needs the notice', () => {
    expect(needsPostponement({ clock: 'overdue', status: 'investigating' })).toBe(true);
    expect(needsPostponement({ clock: 'postponed', status: 'investigating' })).toBe(false);
    expect(needsPostponement({ clock: 'overdue', status: 'withdrawn' })).toBe(false);
  });
});

describe('the 30-day bar', () => {
  test('days between ISO dates, across months and a leap day', () => {
    expect(daysBetween('2026-11-02', '2026-12-02')).toBe(30);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-02', '2026-11-02')).toBe(-30);
  });
  test('elapsed within the allowed span fills part of the bar', () => {
    expect(clockBar('2026-11-02', '2026-12-02', 15)).toEqual({ allowed: 30, elapsed: 15, overrun: 0, elapsedPct: 50, overrunPct: 0 });
  });
  test('past the deadline the bar grows by the overrun', () => {
    const b = clockBar('2026-11-02', '2026-12-02', 40);
    expect(b.overrun).toBe(10);
    expect(b.elapsedPct).toBe(75);
    expect(b.overrunPct).toBe(25);
  });
});

describe('filters', () => {
  test('ten tabs in the order of the work, the API filter codes', () => {
    expect(FILTERS.map((f) => f.label)).toEqual(['未決定', '期限間近', '期限超過', '延期中', '調査待ち', '意見書待ち', '審査会待ち', '審査会予定', '通知待ち', '全件']);
    expect(FILTERS.map((f) => f.filter)).toEqual(['open', 'warning', 'overdue', 'postponed', 'waiting_assessment', 'waiting_opinion', 'ready', 'scheduled', 'decided', 'all']);
  });
  test('an unknown or missing filter is 未決定', () => {
    expect(filterOf({})).toBe('open');
    expect(filterOf({ filter: 'nonsense' })).toBe('open');
    expect(filterOf({ filter: 'overdue' })).toBe('overdue');
  });
});

describe('labels', () => {
  test('kinds and care levels', () => {
    expect(kindLabel('change')).toBe('区分変更');
    expect(kindLabel('transfer')).toBe('転入 (受給資格証明書)');
    expect(careLevelLabel('support_2')).toBe('要支援2');
    expect(careLevelLabel('none')).toBe('非該当');
    expect(careLevelLabel(null)).toBe('');
  });
  test('arrears with its months', () => {
    expect(arrearsCheckLabel('in_arrears', 4)).toBe('滞納あり (4か月)');
    expect(arrearsCheckLabel('none', null)).toBe('滞納なし');
  });
});

describe('numbers', () => {
  test('minutes in tenths as the national software prints them', () => {
    expect(minutesText(453)).toBe('45.3分');
    expect(minutesText(250)).toBe('25.0分');
    expect(minutesText(7)).toBe('0.7分');
    expect(minutesText(null)).toBe('');
  });
  test('units, shares, mean days, bars', () => {
    expect(unitsText(16765)).toBe('16,765単位/月');
    expect(percentText(0.826)).toBe('83%');
    expect(percentText(null)).toBe('—');
    expect(daysText(38.25)).toBe('38.3日');
    expect(daysText(30)).toBe('30日');
    expect(barPercent(20, 40)).toBe(50);
    expect(barPercent(90, 40)).toBe(100);
    expect(barPercent(null, 40)).toBe(0);
  });
  test('validity in 和暦', () => expect(validityText('2026-11-02', '2027-05-31')).toBe('令和8年11月2日〜令和9年5月31日'));
});

const request = (status: string) => ({ status }) as HomeAssessment & PhysicianOpinion;

describe('actions by state', () => {
  test('a new application may be investigated, postponed and withdrawn, not noticed', () => {
    expect(actionsFor({ status: 'received', assessments: [], opinions: [] })).toEqual({ assessment: true, opinion: true, postpone: true, withdraw: true, notice: false });
  });
  test('a live request hides its button; a cancelled one does not', () => {
    const a = actionsFor({ status: 'investigating', assessments: [request('requested')], opinions: [request('cancelled')] });
    expect(a.assessment).toBe(false);
    expect(a.opinion).toBe(true);
  });
  test('scheduled: no more requests and no withdrawal; decided: the notice only', () => {
    expect(actionsFor({ status: 'scheduled', assessments: [], opinions: [] })).toEqual({ assessment: false, opinion: false, postpone: true, withdraw: false, notice: false });
    expect(actionsFor({ status: 'decided', assessments: [], opinions: [] })).toEqual({ assessment: false, opinion: false, postpone: false, withdraw: false, notice: true });
    expect(Object.values(actionsFor({ status: 'notified', assessments: [], opinions: [] })).some(Boolean)).toBe(false);
  });
});

describe('category on the application day', () => {
  test('第1号 from the day before the 65th birthday', () => {
    expect(categoryOn('1961-04-02', '2026-04-01')).toBe('1');
    expect(categoryOn('1961-04-02', '2026-03-31')).toBe('2');
  });
  test('第2号 from the day before the 40th birthday, nothing below', () => {
    expect(categoryOn('1986-11-03', '2026-11-02')).toBe('2');
    expect(categoryOn('1986-11-03', '2026-11-01')).toBe('');
  });
  test('a 29 February birthday reaches its age on 28 February of a common year', () => {
    expect(categoryOn('1960-02-29', '2025-02-28')).toBe('1');
    expect(categoryOn('1960-02-29', '2025-02-27')).toBe('2');
  });
});

describe('intake checks', () => {
  const base: IntakeInput = { kind: 'new', applied_on: '2026-11-02', place: 'home', applicant_relation: '本人', specified_disease: '', reason: '', category: '1' };
  test('a complete 新規 passes with the date as ISO', () => {
    expect(checkIntake({ ...base, applied_on: 'R8.11.2' }, '2026-11-10')).toEqual({ ok: true, applied_on: '2026-11-02' });
  });
  test('each missing field is named', () => {
    const field = (v: Partial<IntakeInput>) => {
      const r = checkIntake({ ...base, ...v }, '2026-11-10');
      return r.ok ? null : r.field;
    };
    expect(field({ kind: '' })).toBe('kind');
    expect(field({ applied_on: '令和8年2月30日' })).toBe('applied_on');
    expect(field({ applied_on: '2026-11-11' })).toBe('applied_on');
    expect(field({ place: '' })).toBe('place');
    expect(field({ applicant_relation: '' })).toBe('applicant_relation');
    expect(field({ category: '2' })).toBe('specified_disease');
    expect(field({ category: '2', specified_disease: '05' })).toBeNull();
    expect(field({ kind: 'change' })).toBe('reason');
    expect(field({ kind: 'ex_officio', reason: ' ' })).toBe('reason');
    expect(field({ kind: 'renewal' })).toBeNull();
  });
});

describe('report months', () => {
  test('months back across a year', () => {
    expect(monthsBefore('2026-02', 3)).toBe('2025-11');
    expect(monthsBefore('2026-12', 11)).toBe('2026-01');
  });
  test('month labels and typed months', () => {
    expect(monthLabel('2026-11')).toBe('令和8年11月');
    expect(parseMonth('2026/4')).toBe('2026-04');
    expect(parseMonth('202611')).toBe('2026-11');
    expect(parseMonth('2026-13')).toBeNull();
  });
});

describe('assessment items', () => {
  test('codes in numeric order, grouped by the master, by the first number when the master lacks one', () => {
    const master = [
      { code: '1-2', group: '第1群 身体機能・起居動作', name: '拘縮の有無', choices: [{ value: '1', label: 'ない' }, { value: '2', label: 'ある' }] },
      { code: '1-10', group: '第1群 身体機能・起居動作', name: '洗身' },
    ];
    const groups = groupItems({ '1-10': '1', '2-1': '1', '1-2': '2' }, master);
    expect(groups.map((g) => g.group)).toEqual(['第1群 身体機能・起居動作', '第2群']);
    expect(groups[0].rows).toEqual([
      { code: '1-2', name: '拘縮の有無', value: '2', label: 'ある' },
      { code: '1-10', name: '洗身', value: '1', label: '' },
    ]);
    expect(groups[1].rows).toEqual([{ code: '2-1', name: '', value: '1', label: '' }]);
  });
});
