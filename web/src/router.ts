// Hash routes, so the server only serves index.html and /assets/*:
//   #/search[?kana=…]   宛名検索
//   #/person/{id}       個人ページ
//   #/flows[?section=…&state=…]  連携フロー一覧
//   #/inquiries[?status=…&kind=…&person_id=…]  照会キュー (番号連携)
//   #/inquiries/{id}    one inquiry
//   #/cases[?status=…], #/cases/new, #/cases/{id}   窓口 異動受付 (SK-01)
//   #/former-address-rules[?direction=…], #/exemptions   住所地特例・適用除外の一覧
//   #/juki              住基連携 (取込・保留), #/cards  被保険者証 一括作成 (65歳到達)
//   #/premium/table[?fiscal_year=…], #/premium/runs, #/premium/simulate   賦課 (段階表・バッチ・試算)
//   #/certification[?filter=…&q=…], #/certification/new?person=…, #/certification/{id},
//   #/certification/sessions[/{id}], #/certification/report[?from=…&to=…]   認定
//   #/benefit/kokuhoren, #/benefit/high-cost[?month=…], #/benefit/repayments[?status=…],
//   #/benefit/combined[?status=…]   給付
import { parseQuery } from './query';

export type Route =
  | { page: 'search'; query: Record<string, string> }
  | { page: 'person'; personId: string }
  | { page: 'flows'; query: Record<string, string> }
  | { page: 'inquiries'; query: Record<string, string> }
  | { page: 'inquiry'; inquiryId: string }
  | { page: 'cases'; query: Record<string, string> }
  | { page: 'case_new'; query: Record<string, string> }
  | { page: 'case'; caseId: string }
  | { page: 'former_address_rules'; query: Record<string, string> }
  | { page: 'exemptions'; query: Record<string, string> }
  | { page: 'juki'; query: Record<string, string> }
  | { page: 'cards'; query: Record<string, string> }
  | { page: 'premium_table'; query: Record<string, string> }
  | { page: 'premium_runs'; query: Record<string, string> }
  | { page: 'premium_simulate'; query: Record<string, string> }
  | { page: 'certification_list'; query: Record<string, string> }
  | { page: 'certification_new'; query: Record<string, string> }
  | { page: 'certification_application'; applicationId: string }
  | { page: 'certification_sessions'; query: Record<string, string> }
  | { page: 'certification_session'; sessionId: string }
  | { page: 'certification_report'; query: Record<string, string> }
  | { page: 'benefit_kokuhoren'; query: Record<string, string> }
  | { page: 'benefit_high_cost'; query: Record<string, string> }
  | { page: 'benefit_repayments'; query: Record<string, string> }
  | { page: 'benefit_combined'; query: Record<string, string> }
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
  if (parts.length === 1 && parts[0] === 'cases') return { page: 'cases', query };
  if (parts.length === 2 && parts[0] === 'cases' && parts[1] === 'new') return { page: 'case_new', query };
  if (parts.length === 2 && parts[0] === 'cases') return { page: 'case', caseId: parts[1] };
  if (parts.length === 1 && parts[0] === 'former-address-rules') return { page: 'former_address_rules', query };
  if (parts.length === 1 && parts[0] === 'exemptions') return { page: 'exemptions', query };
  if (parts.length === 1 && parts[0] === 'juki') return { page: 'juki', query };
  if (parts.length === 1 && parts[0] === 'cards') return { page: 'cards', query };
  if (parts.length === 2 && parts[0] === 'premium' && parts[1] === 'table') return { page: 'premium_table', query };
  if (parts.length === 2 && parts[0] === 'premium' && parts[1] === 'runs') return { page: 'premium_runs', query };
  if (parts.length === 2 && parts[0] === 'premium' && parts[1] === 'simulate') return { page: 'premium_simulate', query };
  if (parts[0] === 'certification') {
    if (parts.length === 1) return { page: 'certification_list', query };
    if (parts.length === 2 && parts[1] === 'new') return { page: 'certification_new', query };
    if (parts.length === 2 && parts[1] === 'sessions') return { page: 'certification_sessions', query };
    if (parts.length === 3 && parts[1] === 'sessions' && /^\d+$/.test(parts[2])) return { page: 'certification_session', sessionId: parts[2] };
    if (parts.length === 2 && parts[1] === 'report') return { page: 'certification_report', query };
    if (parts.length === 2 && /^\d+$/.test(parts[1])) return { page: 'certification_application', applicationId: parts[1] };
  }
  if (parts.length === 2 && parts[0] === 'benefit') {
    if (parts[1] === 'kokuhoren') return { page: 'benefit_kokuhoren', query };
    if (parts[1] === 'high-cost') return { page: 'benefit_high_cost', query };
    if (parts[1] === 'repayments') return { page: 'benefit_repayments', query };
    if (parts[1] === 'combined') return { page: 'benefit_combined', query };
  }
  return { page: 'not_found', hash };
}

export function caseHash(caseId: string | number): string {
  return `#/cases/${encodeURIComponent(String(caseId))}`;
}

export function personHash(personId: string): string {
  return `#/person/${encodeURIComponent(personId)}`;
}

export function inquiryHash(inquiryId: string | number): string {
  return `#/inquiries/${encodeURIComponent(String(inquiryId))}`;
}
