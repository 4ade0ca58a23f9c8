import { describe, expect, test } from 'vitest';
import { navFor } from './layout';
import { parseHash } from './router';

describe('認定 routes', () => {
  test('the list with its filter and search, intake with the person, one application', () => {
    expect(parseHash('#/certification')).toEqual({ page: 'certification_list', query: {} });
    expect(parseHash('#/certification?filter=overdue&q=%E3%83%A4')).toEqual({ page: 'certification_list', query: { filter: 'overdue', q: 'ヤ' } });
    expect(parseHash('#/certification/new?person=1000000001')).toEqual({ page: 'certification_new', query: { person: '1000000001' } });
    expect(parseHash('#/certification/42')).toEqual({ page: 'certification_application', applicationId: '42' });
  });
  test('sessions, one session, the report', () => {
    expect(parseHash('#/certification/sessions').page).toBe('certification_sessions');
    expect(parseHash('#/certification/sessions/7')).toEqual({ page: 'certification_session', sessionId: '7' });
    expect(parseHash('#/certification/report?from=2025-12&to=2026-11')).toEqual({ page: 'certification_report', query: { from: '2025-12', to: '2026-11' } });
  });
  test('anything else under 認定 is not a page', () => {
    for (const h of ['#/certification/abc', '#/certification/sessions/x', '#/certification/42/more', '#/certification/report/1']) expect(parseHash(h).page).toBe('not_found');
  });
});

describe('認定 menu by role', () => {
  test('認定担当 and 監督者 get the list, the sessions and the report under one 認定 heading', () => {
    for (const role of ['certification_staff', 'supervisor']) {
      expect(navFor([role]).filter((n) => n.group === '認定').map((n) => n.hash)).toEqual(['#/certification', '#/certification/sessions', '#/certification/report']);
    }
  });
  test('the other roles do not', () => {
    for (const role of ['eligibility_staff', 'premium_staff', 'benefit_staff', 'auditor']) {
      expect(navFor([role]).some((n) => n.hash.startsWith('#/certification'))).toBe(false);
    }
  });
});
