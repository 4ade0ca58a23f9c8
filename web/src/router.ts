// Hash routes, so the server only serves index.html and /assets/*:
//   #/search[?kana=…]   宛名検索
//   #/person/{id}       個人ページ
//   #/flows[?section=…&state=…]  連携フロー一覧
//   #/inquiries[?status=…&kind=…&person_id=…]  照会キュー (番号連携)
//   #/inquiries/{id}    one inquiry
import { parseQuery } from './query';

export type Route =
  | { page: 'search'; query: Record<string, string> }
  | { page: 'person'; personId: string }
  | { page: 'flows'; query: Record<string, string> }
  | { page: 'inquiries'; query: Record<string, string> }
  | { page: 'inquiry'; inquiryId: string }
  | { page: 'not_found'; hash: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const qAt = raw.indexOf('?');
  const path = qAt < 0 ? raw : raw.slice(0, qAt);
  const query = parseQuery(qAt < 0 ? '' : raw.slice(qAt + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'search')) return { page: 'search', query };
  if (parts.length === 2 && parts[0] === 'person') return { page: 'person', personId: parts[1] };
  if (parts.length === 1 && parts[0] === 'flows') return { page: 'flows', query };
  if (parts.length === 1 && parts[0] === 'inquiries') return { page: 'inquiries', query };
  if (parts.length === 2 && parts[0] === 'inquiries') return { page: 'inquiry', inquiryId: parts[1] };
  return { page: 'not_found', hash };
}

export function personHash(personId: string): string {
  return `#/person/${encodeURIComponent(personId)}`;
}

export function inquiryHash(inquiryId: string | number): string {
  return `#/inquiries/${encodeURIComponent(String(inquiryId))}`;
}
