import { describe, expect, it } from 'vitest';
import { buildQuery, parseQuery } from './query';
import { parseHash } from './router';

describe('buildQuery', () => {
  it('omits empty, null and false values and trims the rest', () => {
    expect(buildQuery({ kana: ' ヤマ ', kanji: '', birth_date: null, person_id: undefined, limit: 50 })).toBe(
      '?kana=%E3%83%A4%E3%83%9E&limit=50',
    );
  });
  it('returns an empty string when nothing is left', () => {
    expect(buildQuery({ kana: '  ', show_my_number: false })).toBe('');
  });
  it('writes true as 1', () => expect(buildQuery({ show_my_number: true })).toBe('?show_my_number=1'));
  it('escapes characters that would break the query', () => {
    expect(buildQuery({ kanji: 'a&b=c' })).toBe('?kanji=a%26b%3Dc');
  });
  it('round-trips through parseQuery', () => {
    const params = { kana: 'ヤマダ タロウ', birth_date: '1950-04-01' };
    expect(parseQuery(buildQuery(params))).toEqual(params);
  });
});

describe('parseHash', () => {
  it('reads the three routes', () => {
    expect(parseHash('')).toEqual({ page: 'search', query: {} });
    expect(parseHash('#/search?kana=%E3%83%A4')).toEqual({ page: 'search', query: { kana: 'ヤ' } });
    expect(parseHash('#/person/1000000001')).toEqual({ page: 'person', personId: '1000000001' });
    expect(parseHash('#/flows?state=not_yet')).toEqual({ page: 'flows', query: { state: 'not_yet' } });
    expect(parseHash('#/nowhere')).toEqual({ page: 'not_found', hash: '#/nowhere' });
  });
  it('reads the inquiry queue and one inquiry', () => {
    expect(parseHash('#/inquiries?status=pending')).toEqual({ page: 'inquiries', query: { status: 'pending' } });
    expect(parseHash('#/inquiries/42')).toEqual({ page: 'inquiry', inquiryId: '42' });
    expect(parseHash('#/inquiries/42/x')).toEqual({ page: 'not_found', hash: '#/inquiries/42/x' });
  });
});
