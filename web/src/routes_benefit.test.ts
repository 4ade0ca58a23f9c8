import { describe, expect, test } from 'vitest';
import { navFor } from './layout';
import { parseHash } from './router';

describe('給付 routes', () => {
  test('the 国保連 exchange, 高額 with its month, repayments and 合算 with their status', () => {
    expect(parseHash('#/benefit/kokuhoren')).toEqual({ page: 'benefit_kokuhoren', query: {} });
    expect(parseHash('#/benefit/high-cost?month=2026-10')).toEqual({ page: 'benefit_high_cost', query: { month: '2026-10' } });
    expect(parseHash('#/benefit/repayments?status=open')).toEqual({ page: 'benefit_repayments', query: { status: 'open' } });
    expect(parseHash('#/benefit/combined')).toEqual({ page: 'benefit_combined', query: {} });
  });
  test('anything else under 給付 is not a page', () => {
    for (const h of ['#/benefit', '#/benefit/other', '#/benefit/high-cost/3', '#/benefit/repayments/1']) expect(parseHash(h).page).toBe('not_found');
  });
});

describe('給付 menu by role', () => {
  test('給付担当 and 監督者 get the four pages under one 給付 heading', () => {
    for (const role of ['benefit_staff', 'supervisor']) {
      expect(navFor([role]).filter((n) => n.group === '給付').map((n) => n.hash)).toEqual([
        '#/benefit/kokuhoren',
        '#/benefit/high-cost',
        '#/benefit/repayments',
        '#/benefit/combined',
      ]);
    }
  });
  test('the other roles do not', () => {
    for (const role of ['eligibility_staff', 'premium_staff', 'certification_staff', 'auditor']) {
      expect(navFor([role]).some((n) => n.hash.startsWith('#/benefit'))).toBe(false);
    }
  });
});
