// The frame around every page after login: top bar (system name, user, roles, ログアウト) and
// the left navigation. Returns the element each page renders into.
import { h, mount } from './dom';
import { roleLabel } from './format';
import type { Me } from './types';

export interface NavItem {
  hash: string;
  label: string;
  roles?: readonly string[]; // shown only to these roles; absent: everybody
  group?: string; // a heading (資格, 賦課, 認定, 給付, 連携) drawn above the first item of a group
}

// 資格 work (docs/api-eligibility.md): 資格担当 and 監督者 only.
const ELIGIBILITY: readonly string[] = ['eligibility_staff', 'supervisor'];
// 賦課 (docs/api-premium.md): the table for every business role, runs and what-if for 賦課担当 and 監督者.
const PERSON_READERS: readonly string[] = ['eligibility_staff', 'premium_staff', 'certification_staff', 'benefit_staff', 'supervisor'];
const PREMIUM: readonly string[] = ['premium_staff', 'supervisor'];
// 認定 (docs/api-certification.md): 認定担当 and 監督者 (the server's certification_workers).
const CERTIFICATION: readonly string[] = ['certification_staff', 'supervisor'];
// 給付 (docs/api-benefit.md): 給付担当 and 監督者 (the server's benefit_workers).
const BENEFIT: readonly string[] = ['benefit_staff', 'supervisor'];

export const NAV: readonly NavItem[] = [
  { hash: '#/search', label: '宛名検索' },
  { hash: '#/cases', label: '異動受付', roles: ELIGIBILITY, group: '資格' },
  { hash: '#/former-address-rules', label: '住所地特例', roles: ELIGIBILITY, group: '資格' },
  { hash: '#/exemptions', label: '適用除外', roles: ELIGIBILITY, group: '資格' },
  { hash: '#/juki', label: '住基連携', roles: ELIGIBILITY, group: '資格' },
  { hash: '#/cards', label: '被保険者証 一括作成', roles: ELIGIBILITY, group: '資格' },
  { hash: '#/premium/runs', label: '本算定・異動賦課', roles: PREMIUM, group: '賦課' },
  { hash: '#/premium/table', label: '保険料段階表', roles: PERSON_READERS, group: '賦課' },
  { hash: '#/premium/simulate', label: '試算 (次期計画)', roles: PREMIUM, group: '賦課' },
  { hash: '#/certification', label: '申請一覧', roles: CERTIFICATION, group: '認定' },
  { hash: '#/certification/sessions', label: '介護認定審査会', roles: CERTIFICATION, group: '認定' },
  { hash: '#/certification/report', label: '集計・出力', roles: CERTIFICATION, group: '認定' },
  { hash: '#/benefit/kokuhoren', label: '国保連 月次連携', roles: BENEFIT, group: '給付' },
  { hash: '#/benefit/high-cost', label: '高額介護サービス費', roles: BENEFIT, group: '給付' },
  { hash: '#/benefit/repayments', label: '返還金', roles: BENEFIT, group: '給付' },
  { hash: '#/benefit/combined', label: '高額医療合算・給付費通知', roles: BENEFIT, group: '給付' },
  { hash: '#/inquiries', label: '番号連携 照会', group: '連携' },
  { hash: '#/flows', label: '連携フロー一覧', group: '連携' },
];

/** The menu entries this user may use. */
export function navFor(roles: readonly string[]): NavItem[] {
  return NAV.filter((item) => !item.roles || item.roles.some((r) => roles.includes(r)));
}

/** Draw the frame into `root`; `active` is the nav hash to highlight. */
export function renderFrame(root: Element, me: Me, active: string, onLogout: () => void): HTMLElement {
  const main = h('main', { class: 'content', id: 'content' });
  mount(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, '介護保険事務システム'),
      h(
        'div',
        { class: 'user', 'data-testid': 'current-user' },
        h('span', { class: 'user-name' }, me.display_name),
        h('span', { class: 'user-id' }, `(${me.user_id})`),
        ...me.roles.map((r) => h('span', { class: 'role' }, roleLabel(r))),
        h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => onLogout() }, 'ログアウト'),
      ),
    ),
    h(
      'div',
      { class: 'body' },
      h(
        'nav',
        { class: 'sidenav', 'aria-label': 'メニュー' },
        h(
          'ul',
          {},
          navFor(me.roles).map((item, i, all) => [
            item.group && item.group !== all[i - 1]?.group ? h('li', { class: 'nav-group' }, item.group) : null,
            h('li', {}, h('a', { href: item.hash, class: item.hash === active ? 'active' : null }, item.label)),
          ]),
        ),
      ),
      main,
    ),
  );
  return main;
}
