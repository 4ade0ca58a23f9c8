// Entry point: find out whether a session exists, then draw the login page or the page the
// hash names, and redraw on every hash change.
import './style.css';
import { api } from './api';
import { h, mount, errorBanner } from './dom';
import { renderFrame } from './layout';
import { renderFlows } from './pages/flows';
import { renderInquiry } from './pages/inquiry';
import { renderInquiries } from './pages/inquiries';
import { renderLogin } from './pages/login';
import { renderPerson } from './pages/person';
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

function render(): void {
  const me = currentUser();
  if (!me) return showLogin();
  const token = ++renderCount;
  const route = parseHash(location.hash);
  const active =
    route.page === 'flows' ? '#/flows' : route.page === 'inquiries' || route.page === 'inquiry' ? '#/inquiries' : '#/search';
  const main = renderFrame(root, me, active, () => void logout());
  const ctx = { main, isCurrent: () => token === renderCount, sessionExpired };
  const titles = {
    search: '宛名検索',
    person: '個人ページ',
    flows: '連携フロー一覧',
    inquiries: '番号連携 照会キュー',
    inquiry: '番号連携 照会',
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
