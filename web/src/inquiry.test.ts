import { describe, expect, it } from 'vitest';
import {
  INQUIRY_STATES,
  answerValueText,
  canCancel,
  canRetry,
  defaultPeriod,
  disclosureLabel,
  exchangeKindLabel,
  formatPeriod,
  inquiryStateLabel,
  inquiryStateShortLabel,
  inquiryStateTone,
  isFinalState,
  formatShortTimestamp,
  itemLabel,
} from './inquiry';

describe('inquiry states', () => {
  it('names every state in Japanese', () => {
    expect(INQUIRY_STATES.map(inquiryStateLabel)).toEqual([
      '送信待ち',
      '照会受付済',
      '回答待ち',
      '手動回答待ち (自動応答不可)',
      '回答あり',
      '該当なし',
      'エラー',
      '期限切れ',
      '取消済',
    ]);
    expect(inquiryStateShortLabel('manual_pending')).toBe('手動回答待ち');
    expect(inquiryStateShortLabel('pending')).toBe('回答待ち');
  });
  it('shows an unknown state as sent', () => expect(inquiryStateLabel('paused')).toBe('paused'));
  it('knows the final states', () => {
    expect(INQUIRY_STATES.filter(isFinalState)).toEqual(['provided', 'not_found', 'error', 'timed_out', 'cancelled']);
  });
  it('offers 取消 only while open and 再照会 only after error or time-out', () => {
    expect(INQUIRY_STATES.filter(canCancel)).toEqual(['queued', 'submitted', 'pending', 'manual_pending']);
    expect(INQUIRY_STATES.filter(canRetry)).toEqual(['error', 'timed_out']);
  });
  it('colours waiting, manual, answered, empty, failed and withdrawn states apart', () => {
    expect(INQUIRY_STATES.map(inquiryStateTone)).toEqual(['wait', 'wait', 'wait', 'manual', 'ok', 'none', 'bad', 'bad', 'off']);
  });
});

describe('defaultPeriod', () => {
  it('asks tax-like kinds about the previous calendar year', () => {
    expect(defaultPeriod('previous_year', new Date(2026, 10, 24))).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    // On 1 January the previous year is the one that just ended.
    expect(defaultPeriod('previous_year', new Date(2026, 0, 1))).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });
  it('asks other kinds about today (local date)', () => {
    expect(defaultPeriod('as_of_today', new Date(2026, 1, 3, 23, 59))).toEqual({ from: '2026-02-03', to: '2026-02-03' });
    expect(defaultPeriod('something_else', new Date(2026, 11, 31))).toEqual({ from: '2026-12-31', to: '2026-12-31' });
  });
});

describe('exchange log labels and values', () => {
  it('says 照会/提供 and 開示/不開示', () => {
    expect(exchangeKindLabel('inquiry')).toBe('照会');
    expect(exchangeKindLabel('provision')).toBe('提供');
    expect(disclosureLabel('disclosed')).toBe('開示');
    expect(disclosureLabel('withheld')).toBe('不開示');
  });
  it('writes a period once when it is one day', () => {
    expect(formatPeriod('2025-01-01', '2025-12-31')).toBe('2025-01-01〜2025-12-31');
    expect(formatPeriod('2026-11-24', '2026-11-24')).toBe('2026-11-24');
  });
  it('shows answer values readably', () => {
    expect(answerValueText(1200000)).toBe('1,200,000');
    expect(answerValueText('2025-04-01')).toBe('2025-04-01');
    expect(answerValueText(true)).toBe('はい');
    expect(answerValueText(null)).toBe('');
    expect(answerValueText(['A', 'B'])).toBe('["A","B"]');
  });
});

describe('itemLabel', () => {
  it('names known answer items and passes unknown ones through', () => {
    expect(itemLabel('total_income')).toBe('合計所得金額');
    expect(itemLabel('assistance_kind')).toBe('扶助の種類');
    expect(itemLabel('new_item')).toBe('new_item');
  });
});

describe('formatShortTimestamp', () => {
  const now = new Date(2026, 10, 24);
  it('drops the year of this year and the seconds', () => {
    expect(formatShortTimestamp('2026-11-24T10:05:33+09:00', now)).toBe('11/24 10:05');
    expect(formatShortTimestamp('2026-01-02 03:04:05', now)).toBe('01/02 03:04');
  });
  it('keeps the date only for another year', () => expect(formatShortTimestamp('2025-12-31T23:59:00Z', now)).toBe('2025/12/31'));
  it('leaves empty and odd values alone', () => {
    expect(formatShortTimestamp(null, now)).toBe('');
    expect(formatShortTimestamp('soon', now)).toBe('soon');
  });
});
