import { describe, expect, it } from 'vitest';
import { flowStateLabel, formatPostalCode, normalizeKana, parseDateInput, roleLabel, sexLabel, toWareki } from './format';

describe('toWareki', () => {
  it('shows a 昭和 birth date', () => expect(toWareki('1950-04-01')).toBe('昭和25年4月1日'));
  it('calls the first year of an era 元年', () => {
    expect(toWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(toWareki('1989-01-08')).toBe('平成元年1月8日');
  });
  it('switches era on the first day, not on 1 January', () => {
    expect(toWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(toWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(toWareki('1926-12-24')).toBe('大正15年12月24日');
    expect(toWareki('1926-12-25')).toBe('昭和元年12月25日');
  });
  it('uses the Western year before 明治', () => expect(toWareki('1868-01-24')).toBe('1868年1月24日'));
  it('leaves a value that is not a real ISO date visible as sent', () => {
    expect(toWareki('1950-02-30')).toBe('1950-02-30');
    expect(toWareki('S25.4.1')).toBe('S25.4.1');
    expect(toWareki(null)).toBe('');
  });
});

describe('parseDateInput', () => {
  it('accepts ISO and common Western forms', () => {
    expect(parseDateInput('1950-04-01')).toBe('1950-04-01');
    expect(parseDateInput('1950/4/1')).toBe('1950-04-01');
    expect(parseDateInput('19500401')).toBe('1950-04-01');
    expect(parseDateInput('１９５０－０４－０１')).toBe('1950-04-01');
  });
  it('accepts 和暦 with an era letter or name', () => {
    expect(parseDateInput('S25.4.1')).toBe('1950-04-01');
    expect(parseDateInput('h1.1.8')).toBe('1989-01-08');
    expect(parseDateInput('令和元年5月1日')).toBe('2019-05-01');
    expect(parseDateInput('昭和64年1月7日')).toBe('1989-01-07');
  });
  it('rejects dates outside their era and impossible dates', () => {
    expect(parseDateInput('H32.1.1')).toBeNull();
    expect(parseDateInput('平成元年1月7日')).toBeNull();
    expect(parseDateInput('2023-02-29')).toBeNull();
    expect(parseDateInput('yesterday')).toBeNull();
  });
});

describe('labels', () => {
  it('maps sex codes, roles and flow states to Japanese', () => {
    expect(sexLabel('1')).toBe('男');
    expect(sexLabel('2')).toBe('女');
    expect(roleLabel('eligibility_staff')).toBe('資格担当');
    expect(roleLabel('administrator')).toBe('システム管理者');
    expect(roleLabel('new_role')).toBe('new_role');
    expect(flowStateLabel('not_yet')).toBe('未実装');
    expect(flowStateLabel('implemented')).toBe('実装済');
  });
});

describe('normalizeKana', () => {
  it('turns hiragana and half-width katakana into full-width katakana', () => {
    expect(normalizeKana('やまだ')).toBe('ヤマダ');
    expect(normalizeKana(' ﾔﾏﾀﾞ ﾀﾛｳ ')).toBe('ヤマダ タロウ');
    expect(normalizeKana('ヤマダ')).toBe('ヤマダ');
  });
});

describe('formatPostalCode', () => {
  it('writes seven digits as 〒NNN-NNNN', () => {
    expect(formatPostalCode('2925400')).toBe('〒292-5400');
    expect(formatPostalCode('292-5400')).toBe('〒292-5400');
    expect(formatPostalCode('')).toBe('');
  });
});
