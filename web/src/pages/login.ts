// ログイン: user id + password. The server answers 401 for a wrong pair (without saying which
// part was wrong) and 429 while the account or address is throttled.
import { api, ApiError } from '../api';
import { errorBanner, h, mount } from '../dom';
import type { Me } from '../types';

export function renderLogin(root: Element, notice: string, onLoggedIn: (me: Me) => void): void {
  const banner = h('div', { class: 'banner-slot' });
  const userId = h('input', { id: 'login-user', name: 'user_id', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, 'ログイン');

  const show = (message: string) => mount(banner, errorBanner(message));

  const form = h(
    'form',
    {
      class: 'login-card',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        show('');
        submit.disabled = true;
        try {
          onLoggedIn(await api.login(userId.value.trim(), password.value));
        } catch (e) {
          password.value = '';
          if (e instanceof ApiError && e.status === 401) show('ユーザーIDまたはパスワードが違います');
          else if (e instanceof ApiError && e.status === 429)
            show('試行回数が多すぎます。しばらくしてから再度お試しください');
          else show(e instanceof Error ? e.message : String(e));
          (userId.value ? password : userId).focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', {}, '介護保険事務システム'),
    h('p', { class: 'login-sub' }, '職員ログイン'),
    notice ? h('div', { class: 'banner info' }, notice) : null,
    banner,
    h('label', { for: 'login-user' }, 'ユーザーID'),
    userId,
    h('label', { for: 'login-password' }, 'パスワード'),
    password,
    submit,
  );
  mount(root, h('div', { class: 'login-page' }, form));
  userId.focus();
}
