import { describe, expect, test } from 'vitest';
import { navFor } from './layout';
import { parseHash } from './router';

describe('賦課 routes', () => {
  test('table with its year, runs, what-if', () => {
    expect(parseHash('#/premium/table?fiscal_year=2026')).toEqual({ page: 'premium_table', query: { fiscal_year: '2026' } });
    expect(parseHash('#/premium/runs').page).toBe('premium_runs');
    expect(parseHash('#/premium/simulate').page).toBe('premium_simulate');
    expect(parseHash('#/premium').page).toBe('not_found');
    expect(parseHash('#/premium/other').page).toBe('not_found');
  });
});

describe('賦課 menu by role', () => {
  const hashes = (roles: string[]) => navFor(roles).map((n) => n.hash);
  test('賦課担当 and 監督者 get runs, table and what-if under one 賦課 heading', () => {
    for (const role of ['premium_staff', 'supervisor']) {
      const items = navFor([role]).filter((n) => n.group === '賦課');
      expect(items.map((n) => n.hash)).toEqual(['#/premium/runs', '#/premium/table', '#/premium/simulate']);
    }
  });
  test('other business roles see the table only (they may read it), auditors nothing of 賦課', () => {
    for (const role of ['eligibility_staff', 'certification_staff', 'benefit_staff']) {
      expect(hashes([role])).toContain('#/premium/table');
      expect(hashes([role])).not.toContain('#/premium/runs');
      expect(hashes([role])).not.toContain('#/premium/simulate');
    }
    expect(hashes(['auditor']).filter((h) => h.startsWith('#/premium'))).toEqual([]);
  });
  test('賦課担当 does not get the 資格 pages', () => expect(hashes(['premium_staff'])).not.toContain('#/cases'));
});
