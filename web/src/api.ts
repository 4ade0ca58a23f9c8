// The one door to the server: same-origin JSON fetches under /api/v1, the session cookie
// (HttpOnly, so never touched here) and the CSRF token that every state-changing request carries.
import type { Flow, Me, PersonDetail, PersonSearchResult } from './types';
import { buildQuery, type QueryParams } from './query';

const BASE = '/api/v1';

/** A failed call: HTTP status plus the server's `{"error":{kind,message,field}}` when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

let csrfToken = '';

/** Remember the token from login or /me; sent as X-CSRF-Token on POST/PUT/PATCH/DELETE. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Messages for failures the server does not describe (network down, a proxy's HTML error page).
function fallbackMessage(status: number): string {
  if (status === 0) return 'サーバーに接続できません。ネットワークを確認してください';
  if (status === 401) return 'ログインが必要です';
  if (status === 403) return 'この操作を行う権限がありません';
  if (status === 404) return '対象が見つかりません';
  if (status === 429) return '試行回数が多すぎます。しばらくしてから再度お試しください';
  if (status >= 500) return `サーバーでエラーが発生しました (${status})`;
  return `要求を処理できませんでした (${status})`;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && path !== '/login') headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', fallbackMessage(0), null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: { kind?: string; message?: string; field?: string | null } } | null)?.error;
    throw new ApiError(res.status, err?.kind ?? 'http', err?.message || fallbackMessage(res.status), err?.field ?? null);
  }
  return json as T;
}

export const api = {
  login: (user_id: string, password: string) => request<Me>('POST', '/login', { user_id, password }),
  me: () => request<Me>('GET', '/me'),
  logout: () => request<void>('POST', '/logout'),
  searchPersons: (params: QueryParams) => request<PersonSearchResult>('GET', `/persons${buildQuery(params)}`),
  person: (personId: string, showMyNumber: boolean) =>
    request<PersonDetail>('GET', `/persons/${encodeURIComponent(personId)}${buildQuery({ show_my_number: showMyNumber })}`),
  flows: () => request<Flow[]>('GET', '/flows'),
};
