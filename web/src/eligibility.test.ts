import { describe, expect, test } from 'vitest';
import {
  categoryLabel,
  changeText,
  checkCaseForm,
  checkEndDate,
  checkExemptionForm,
  checkFactForm,
  checkRuleForm,
  monthLabel,
  parseMonthInput,
  periodDiff,
  periodText,
  sourceLabel,
  spanText,
  todayText,
} from './eligibility';
import type { Period } from './eligibility_types';

const labels = {
  acquisition_reasons: [{ code: 'move_in', label: '転入' }, { code: 'reaching_65', label: '65歳到達' }],
  loss_reasons: [{ code: 'move_out_domestic', label: '転出' }, { code: 'death', label: '死亡' }],
};

const p1: Period = { acquired_on: '2024-04-01', lost_on: null, category: '1', acquisition_reason: 'move_in', loss_reason: null };

describe('labels', () => {
  test('category and source', () => {
    expect(categoryLabel('1')).toBe('第1号');
    expect(categoryLabel('2')).toBe('第2号');
    expect(sourceLabel('juki')).toBe('住基');
    expect(sourceLabel('counter_case')).toBe('窓口');
    expect(sourceLabel('staff')).toBe('職権');
    expect(sourceLabel('other')).toBe('other');
  });
  test('today', () => {
    expect(todayText({ insured: true, category: '2' })).toBe('資格あり (第2号)');
    expect(todayText({ insured: false, category: null })).toBe('資格なし');
  });
});

describe('periods', () => {
  test('an open period in 和暦 with its reason from the code list', () => {
    expect(periodText(p1, labels)).toBe('第1号 令和6年4月1日〜 (取得 転入)');
  });
  test('a closed period prefers the server labels', () => {
    const p: Period = { ...p1, lost_on: '2026-10-02', loss_reason: 'move_out_domestic', loss_reason_label: '転出 (法11条)' };
    expect(periodText(p, labels)).toBe('第1号 令和6年4月1日〜令和8年10月2日 (取得 転入・喪失 転出 (法11条))');
  });
  test('span with an open end', () => {
    expect(spanText('2019-05-01', null)).toBe('令和元年5月1日〜現在');
  });
  test('diff names only the fields that changed', () => {
    const after: Period = { ...p1, lost_on: '2026-10-02', loss_reason: 'death' };
    expect(periodDiff(p1, after, labels)).toEqual([
      { field: 'lost_on', label: '喪失日', before: 'なし', after: '令和8年10月2日' },
      { field: 'loss_reason', label: '喪失事由', before: 'なし', after: '死亡' },
    ]);
  });
  test('change lines: added, removed, changed', () => {
    expect(changeText({ kind: 'added', after: p1 }, labels)).toBe('追加: 第1号 令和6年4月1日〜 (取得 転入)');
    expect(changeText({ kind: 'removed', before: p1 }, labels)).toBe('削除: 第1号 令和6年4月1日〜 (取得 転入)');
    const after: Period = { ...p1, acquired_on: '2024-03-15' };
    expect(changeText({ kind: 'changed', before: p1, after }, labels)).toBe(
      '変更: 第1号 令和6年4月1日〜の期間: 取得日 令和6年4月1日 → 令和6年3月15日',
    );
  });
});

describe('fact form', () => {
  const base = { kind: 'move_out', on: 'R8.10.1', new_address_on: '', reason: '実態調査' };
  test('accepts 和暦 and sends ISO', () => {
    expect(checkFactForm(base)).toEqual({ ok: true, value: { kind: 'move_out', on: '2026-10-01', new_address_on: null, reason: '実態調査' } });
  });
  test('the new city date only for 転出, never before the 転出日', () => {
    expect(checkFactForm({ ...base, new_address_on: '2026-09-30' })).toMatchObject({ ok: false, field: 'new_address_on' });
    expect(checkFactForm({ ...base, new_address_on: '2026-10-01' })).toMatchObject({ ok: true, value: { new_address_on: '2026-10-01' } });
    expect(checkFactForm({ ...base, kind: 'death', new_address_on: '2026-10-05' })).toMatchObject({ ok: true, value: { new_address_on: null } });
  });
  test('refuses a missing kind, an impossible date, an empty reason', () => {
    expect(checkFactForm({ ...base, kind: '' })).toMatchObject({ ok: false, field: 'kind' });
    expect(checkFactForm({ ...base, on: '平成32年1月1日' })).toMatchObject({ ok: false, field: 'on' });
    expect(checkFactForm({ ...base, reason: '  ' })).toMatchObject({ ok: false, field: 'reason' });
  });
});

describe('ledger forms', () => {
  const rule = {
    direction: 'ours_living_elsewhere', facility_kind: 'special_nursing_home', facility_name: ' 特養さくら ',
    facility_municipality_code: '１３１０１２', other_insurer_no: '131011', started_on: '2026-04-01',
  };
  test('住所地特例: six-digit codes (full-width digits accepted), trimmed name', () => {
    expect(checkRuleForm(rule)).toMatchObject({ ok: true, value: { facility_name: '特養さくら', facility_municipality_code: '131012' } });
    expect(checkRuleForm({ ...rule, other_insurer_no: '12345' })).toMatchObject({ ok: false, field: 'other_insurer_no' });
    expect(checkRuleForm({ ...rule, direction: '' })).toMatchObject({ ok: false, field: 'direction' });
  });
  test('適用除外', () => {
    expect(checkExemptionForm({ facility_kind: 'x', facility_name: '', entered_on: '2026-01-01' })).toMatchObject({ ok: false, field: 'facility_name' });
    expect(checkExemptionForm({ facility_kind: 'x', facility_name: '療養所', entered_on: '2026/1/5' })).toMatchObject({ ok: true, value: { entered_on: '2026-01-05' } });
  });
  test('end date not before the start', () => {
    expect(checkEndDate('2026-03-31', '2026-04-01', 'ended_on', '終了日')).toMatchObject({ ok: false, field: 'ended_on' });
    expect(checkEndDate('2026-04-01', '2026-04-01', 'ended_on', '終了日')).toEqual({ ok: true, value: '2026-04-01' });
  });
});

describe('case form (SK-01)', () => {
  const base = {
    movement_kind: 'move_in', person_id: '', newcomer: true, movement_date: '2026-11-20', notified_on: '2026-11-24', notifier: '本人', note: ' ',
  };
  test('a newcomer only for 転入/出生', () => {
    expect(checkCaseForm(base, '2026-11-24')).toEqual({
      ok: true,
      value: { person_id: null, movement_kind: 'move_in', movement_date: '2026-11-20', notified_on: '2026-11-24', notifier: '本人', note: '', new_address_on: null },
    });
    expect(checkCaseForm({ ...base, movement_kind: 'death' }, '2026-11-24')).toMatchObject({ ok: false, field: 'person_id' });
  });
  test('a chosen person, a notice not in the future, a notifier', () => {
    const chosen = { ...base, newcomer: false, person_id: '1000000001', movement_kind: 'move_out' };
    expect(checkCaseForm(chosen, '2026-11-24')).toMatchObject({ ok: true, value: { person_id: '1000000001' } });
    expect(checkCaseForm({ ...chosen, person_id: '' }, '2026-11-24')).toMatchObject({ ok: false, field: 'person_id' });
    expect(checkCaseForm({ ...chosen, notified_on: '2026-11-25' }, '2026-11-24')).toMatchObject({ ok: false, field: 'notified_on' });
    expect(checkCaseForm({ ...chosen, notifier: '' }, '2026-11-24')).toMatchObject({ ok: false, field: 'notifier' });
  });
  test('転出: the new city\'s 転入日 when known, not before the 転出日', () => {
    const out = { ...base, newcomer: false, person_id: '1000000001', movement_kind: 'move_out', movement_date: '2026-11-20' };
    expect(checkCaseForm({ ...out, new_address_on: '2026-11-19' }, '2026-11-24')).toMatchObject({ ok: false, field: 'new_address_on' });
    expect(checkCaseForm({ ...out, new_address_on: 'R8.11.21' }, '2026-11-24')).toMatchObject({ ok: true, value: { new_address_on: '2026-11-21' } });
    expect(checkCaseForm({ ...out, movement_kind: 'death', new_address_on: '2026-11-21' }, '2026-11-24')).toMatchObject({ ok: true, value: { new_address_on: null } });
  });
});

describe('month', () => {
  test('parses the forms staff type', () => {
    expect(parseMonthInput('2026-12')).toBe('2026-12');
    expect(parseMonthInput('2026/1')).toBe('2026-01');
    expect(parseMonthInput('202612')).toBe('2026-12');
    expect(parseMonthInput('R8.12')).toBe('2026-12');
    expect(parseMonthInput('2026-13')).toBeNull();
    expect(parseMonthInput('12月')).toBeNull();
  });
  test('label in 和暦', () => {
    expect(monthLabel('2026-12')).toBe('令和8年12月');
  });
});
