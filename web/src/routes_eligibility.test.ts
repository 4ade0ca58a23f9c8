import { describe, expect, test } from 'vitest';
import { navFor } from './layout';
import { caseHash, parseHash } from './router';

describe('資格 routes', () => {
  test('cases, a new case with a person, one case', () => {
    expect(parseHash('#/cases?status=open')).toEqual({ page: 'cases', query: { status: 'open' } });
    expect(parseHash('#/cases/new?person_id=1000000001')).toEqual({ page: 'case_new', query: { person_id: '1000000001' } });
    expect(parseHash(caseHash(12))).toEqual({ page: 'case', caseId: '12' });
  });
  test('ledgers, registry, card batch', () => {
    expect(parseHash('#/former-address-rules?direction=theirs_living_here')).toEqual({
      page: 'former_address_rules',
      query: { direction: 'theirs_living_here' },
    });
    expect(parseHash('#/exemptions').page).toBe('exemptions');
    expect(parseHash('#/juki').page).toBe('juki');
    expect(parseHash('#/cards').page).toBe('cards');
    expect(parseHash('#/cards/x').page).toBe('not_found');
  });
});

describe('menu by role', () => {
  const hashes = (roles: string[]) => navFor(roles).map((n) => n.hash);
  test('資格担当 and 監督者 get the 資格 pages', () => {
    for (const role of ['eligibility_staff', 'supervisor']) {
      expect(hashes([role])).toEqual(expect.arrayContaining(['#/cases', '#/former-address-rules', '#/exemptions', '#/juki', '#/cards']));
    }
  });
  test('other roles do not', () => {
    expect(hashes(['benefit_staff'])).toEqual(['#/search', '#/premium/table', '#/benefit/kokuhoren', '#/benefit/high-cost', '#/benefit/repayments', '#/benefit/combined', '#/inquiries', '#/flows']);
    expect(hashes(['auditor'])).not.toContain('#/cases');
  });
});
