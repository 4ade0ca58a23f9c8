// Entry point: find out whether a session exists, then draw the login page or the page the
// hash names, and redraw on every hash change.
import './style.css';
import { api } from './api';
import { h, mount, errorBanner } from './dom';
import { renderFrame } from './layout';
import { renderBenefitCombined } from './pages/benefit_combined';
import { renderBenefitExchange } from './pages/benefit_exchange';
import { renderBenefitHighCost } from './pages/benefit_high_cost';
import { renderBenefitRepayments } from './pages/benefit_repayments';
import { renderCardBatches } from './pages/cards';
import { renderCertificationApplication } from './pages/certification_application';
import { renderCertificationList } from './pages/certification_list';
import { renderCertificationNew } from './pages/certification_new';
import { renderCertificationReport } from './pages/certification_report';
import { renderCertificationSession } from './pages/certification_session';
import { renderCertificationSessions } from './pages/certification_sessions';
import { renderCase } from './pages/case';
import { renderCaseNew } from './pages/case_new';
import { renderCases } from './pages/cases';
import { renderExemptions } from './pages/exemptions';
import { renderFlows } from './pages/flows';
import { renderFormerAddressRules } from './pages/former_address_rules';
import { renderJuki } from './pages/juki';
import { renderInquiry } from './pages/inquiry';
import { renderInquiries } from './pages/inquiries';
import { renderLogin } from './pages/login';
import { renderPerson } from './pages/person';
import { renderPremiumRuns } from './pages/premium_runs';
import { renderPremiumSimulate } from './pages/premium_simulate';
import { renderPremiumTable } from './pages/premium_table';
import { renderSearch } from './pages/search';
import { parseHash } from './router';
import { currentUser, restoreSession, setUser } from './session';

const root = document.getElementById('app')!;
let renderCount = 0;

function showLogin(notice = ''): void {
  renderCount++;
  document.title = 'ログイン - 介護保険事務システム';
  renderLogin(root, notice, (me) => {
    setUser(me);
    render();
  });
}

function sessionExpired(): void {
  setUser(null);
  showLogin('セッションの有効期限が切れました。再度ログインしてください');
}

async function logout(): Promise<void> {
  try {
    await api.logout();
  } finally {
    setUser(null);
    location.hash = '#/search';
    showLogin('ログアウトしました');
  }
}

/** The menu entry a page belongs to. */
function activeNav(page: string): string {
  const map: Record<string, string> = {
    flows: '#/flows', inquiries: '#/inquiries', inquiry: '#/inquiries', cases: '#/cases', case_new: '#/cases', case: '#/cases',
    former_address_rules: '#/former-address-rules', exemptions: '#/exemptions', juki: '#/juki', cards: '#/cards',
    premium_table: '#/premium/table', premium_runs: '#/premium/runs', premium_simulate: '#/premium/simulate',
    certification_list: '#/certification', certification_new: '#/certification', certification_application: '#/certification',
    certification_sessions: '#/certification/sessions', certification_session: '#/certification/sessions', certification_report: '#/certification/report',
    benefit_kokuhoren: '#/benefit/kokuhoren', benefit_high_cost: '#/benefit/high-cost', benefit_repayments: '#/benefit/repayments', benefit_combined: '#/benefit/combined',
  };
  return map[page] ?? '#/search';
}

function render(): void {
  const me = currentUser();
  if (!me) return showLogin();
  const token = ++renderCount;
  const route = parseHash(location.hash);
  const active = activeNav(route.page);
  const main = renderFrame(root, me, active, () => void logout());
  const ctx = { main, isCurrent: () => token === renderCount, sessionExpired };
  const titles = {
    search: '宛名検索',
    person: '個人ページ',
    flows: '連携フロー一覧',
    inquiries: '番号連携 照会キュー',
    inquiry: '番号連携 照会',
    cases: '異動受付',
    case_new: '異動受付 新規',
    case: '異動受付',
    former_address_rules: '住所地特例',
    exemptions: '適用除外',
    juki: '住基連携',
    cards: '被保険者証 一括作成',
    premium_table: '保険料段階表',
    premium_runs: '賦課 バッチ',
    premium_simulate: '保険料 試算',
    certification_list: '認定 申請一覧',
    certification_new: '認定 申請受付',
    certification_application: '認定申請',
    certification_sessions: '介護認定審査会',
    certification_session: '介護認定審査会',
    certification_report: '認定 集計・出力',
    benefit_kokuhoren: '国保連 月次連携',
    benefit_high_cost: '高額介護サービス費',
    benefit_repayments: '返還金',
    benefit_combined: '高額医療合算・給付費通知',
    not_found: 'ページがありません',
  };
  document.title = `${titles[route.page]} - 介護保険事務システム`;
  switch (route.page) {
    case 'search':
      return renderSearch(ctx, route.query);
    case 'person':
      return renderPerson(ctx, route.personId);
    case 'flows':
      return renderFlows(ctx, route.query);
    case 'inquiries':
      return renderInquiries(ctx, route.query);
    case 'inquiry':
      return renderInquiry(ctx, route.inquiryId);
    case 'cases':
      return renderCases(ctx, route.query);
    case 'case_new':
      return renderCaseNew(ctx, route.query);
    case 'case':
      return renderCase(ctx, route.caseId);
    case 'former_address_rules':
      return renderFormerAddressRules(ctx, route.query);
    case 'exemptions':
      return renderExemptions(ctx, route.query);
    case 'juki':
      return renderJuki(ctx);
    case 'cards':
      return renderCardBatches(ctx);
    case 'premium_table':
      return renderPremiumTable(ctx, route.query);
    case 'premium_runs':
      return renderPremiumRuns(ctx);
    case 'premium_simulate':
      return renderPremiumSimulate(ctx);
    case 'certification_list':
      return renderCertificationList(ctx, route.query);
    case 'certification_new':
      return renderCertificationNew(ctx, route.query);
    case 'certification_application':
      return renderCertificationApplication(ctx, route.applicationId);
    case 'certification_sessions':
      return renderCertificationSessions(ctx);
    case 'certification_session':
      return renderCertificationSession(ctx, route.sessionId);
    case 'certification_report':
      return renderCertificationReport(ctx, route.query);
    case 'benefit_kokuhoren':
      return renderBenefitExchange(ctx);
    case 'benefit_high_cost':
      return renderBenefitHighCost(ctx, route.query);
    case 'benefit_repayments':
      return renderBenefitRepayments(ctx, route.query);
    case 'benefit_combined':
      return renderBenefitCombined(ctx, route.query);
    case 'not_found':
      return mount(main, h('h1', { class: 'page-title' }, 'ページがありません'), h('p', {}, h('a', { href: '#/search' }, '宛名検索へ')));
  }
}

window.addEventListener('hashchange', () => {
  if (currentUser()) render();
});

restoreSession().then(
  () => render(),
  (e: unknown) => mount(root, h('div', { class: 'login-page' }, errorBanner(e instanceof Error ? e.message : String(e)))),
);
