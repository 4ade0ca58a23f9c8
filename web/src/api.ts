// The one door to the server: same-origin JSON fetches under /api/v1, the session cookie
// (HttpOnly, so never touched here) and the CSRF token that every state-changing request carries.
import type {
  ExchangeRecord,
  Flow,
  Inquiry,
  InquiryKind,
  InquiryList,
  Me,
  NewInquiry,
  PersonDetail,
  PersonSearchResult,
} from './types';
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

// Japanese for each error kind of src/core/error.hpp, and for failures the server does not
// describe (network down, a proxy's HTML error page), chosen by HTTP status.
const KIND_MESSAGES: Record<string, string> = {
  invalid_input: '入力内容に誤りがあります',
  unauthenticated: 'ログインが必要です',
  forbidden: 'この操作を行う権限がありません',
  not_found: '対象が見つかりません',
  conflict: '他の処理と競合しました。画面を更新して再度お試しください',
  too_many_requests: '試行回数が多すぎます。しばらくしてから再度お試しください',
  unavailable: 'システムが一時的に利用できません。しばらくしてから再度お試しください',
  internal: 'システムエラーが発生しました。管理者に連絡してください',
};

const STATUS_KINDS: Record<number, string> = {
  400: 'invalid_input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found',
  409: 'conflict', 429: 'too_many_requests', 503: 'unavailable',
};

/**
 * The banner text for a failure. A server message already in Japanese is shown as it is;
 * otherwise (the server's messages are written for staff but may be English) the Japanese
 * sentence for the kind leads and the server's words follow in parentheses, so nothing is lost.
 */
export function errorText(status: number, kind: string | undefined, serverMessage: string | undefined): string {
  if (status === 0) return 'サーバーに接続できません。ネットワークを確認してください';
  const message = (serverMessage ?? '').trim();
  if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(message)) return message;
  const k = kind && KIND_MESSAGES[kind] ? kind : (STATUS_KINDS[status] ?? (status >= 500 ? 'internal' : 'invalid_input'));
  const label = KIND_MESSAGES[k];
  return message ? `${label} (${message})` : `${label} (HTTP ${status})`;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    throw new ApiError(0, 'network', errorText(0, undefined, undefined), null);
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
    throw new ApiError(res.status, err?.kind ?? 'http', errorText(res.status, err?.kind, err?.message), err?.field || null);
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
  inquiryKinds: () => request<InquiryKind[]>('GET', '/inquiry-kinds'),
  createInquiry: (body: NewInquiry) => request<Inquiry>('POST', '/inquiries', body),
  inquiries: (params: QueryParams) => request<InquiryList>('GET', `/inquiries${buildQuery(params)}`),
  inquiry: (inquiryId: string | number) => request<Inquiry>('GET', `/inquiries/${encodeURIComponent(String(inquiryId))}`),
  cancelInquiry: (inquiryId: string | number, reason: string) =>
    request<Inquiry>('POST', `/inquiries/${encodeURIComponent(String(inquiryId))}/cancel`, { reason }),
  retryInquiry: (inquiryId: string | number) =>
    request<Inquiry>('POST', `/inquiries/${encodeURIComponent(String(inquiryId))}/retry`, {}),
  personInquiries: (personId: string) =>
    request<{ items: Inquiry[] }>('GET', `/persons/${encodeURIComponent(personId)}/inquiries`),
  exchangeRecords: (personId: string) =>
    request<{ items: ExchangeRecord[] }>('GET', `/persons/${encodeURIComponent(personId)}/exchange-records`),
};

/** The 情報提供等記録 as CSV: a plain link (same-origin GET, the session cookie goes along). */
export function exchangeRecordsCsvUrl(personId: string): string {
  return `${BASE}/persons/${encodeURIComponent(personId)}/exchange-records.csv`;
}
