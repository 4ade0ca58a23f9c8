// The 資格 calls of docs/api-eligibility.md: the register, counter cases, 住基 linkage, the
// simulators and the 65歳到達 card batch. Same door as api.ts (session cookie, CSRF token).
import { ApiError, errorText, request } from './api';
import type {
  BatchRun,
  EligibilityCodeLists,
  Exemption,
  FormerAddressRule,
  JukiLoad,
  MovementCase,
  NewAddressFact,
  NewExemption,
  NewFormerAddressRule,
  NewMovementCase,
  QuarantineRow,
  Register,
  RegisterOutcome,
  Simulator,
} from './eligibility_types';
import { buildQuery, type QueryParams } from './query';

const BASE = '/api/v1';
const enc = (v: string | number) => encodeURIComponent(String(v));
const person = (id: string) => `/persons/${enc(id)}`;

export const eligibilityApi = {
  register: (personId: string) => request<Register>('GET', `${person(personId)}/eligibility`),
  codeLists: () => request<EligibilityCodeLists>('GET', '/code-lists/eligibility'),
  recordFact: (personId: string, body: NewAddressFact) =>
    request<RegisterOutcome>('POST', `${person(personId)}/eligibility/facts`, body),
  cancelFact: (personId: string, factId: number, reason: string) =>
    request<RegisterOutcome>('POST', `${person(personId)}/eligibility/facts/${enc(factId)}/cancel`, { reason }),
  startRule: (personId: string, body: NewFormerAddressRule) =>
    request<RegisterOutcome & { rule_id: number }>('POST', `${person(personId)}/former-address-rules`, body),
  endRule: (ruleId: number, endedOn: string) =>
    request<RegisterOutcome>('POST', `/former-address-rules/${enc(ruleId)}/end`, { ended_on: endedOn }),
  rules: (params: QueryParams) => request<{ items: FormerAddressRule[] }>('GET', `/former-address-rules${buildQuery(params)}`),
  startExemption: (personId: string, body: NewExemption) =>
    request<RegisterOutcome & { exemption_id: number }>('POST', `${person(personId)}/exemptions`, body),
  endExemption: (exemptionId: number, leftOn: string) =>
    request<RegisterOutcome>('POST', `/exemptions/${enc(exemptionId)}/end`, { left_on: leftOn }),
  exemptions: (params: QueryParams) => request<{ items: Exemption[] }>('GET', `/exemptions${buildQuery(params)}`),

  cases: (params: QueryParams) => request<{ items: MovementCase[] }>('GET', `/movement-cases${buildQuery(params)}`),
  movementCase: (caseId: string | number) => request<MovementCase>('GET', `/movement-cases/${enc(caseId)}`),
  createCase: (body: NewMovementCase) => request<MovementCase>('POST', '/movement-cases', body),
  tick: (caseId: number, item: string, done: boolean) =>
    request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/checklist/${enc(item)}`, { done }),
  sendCaseInquiry: (caseId: number, kind: string) =>
    request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/inquiries`, { kind }),
  // facility_kind: for an SK-10/11 住所地特例 answer, the kind of the facility (the answer may not say).
  applyCaseInquiry: (caseId: number, inquiryId: number, facilityKind?: string) =>
    request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/inquiries/${enc(inquiryId)}/apply`, facilityKind ? { facility_kind: facilityKind } : {}),
  // A case opened for a newcomer gets its person once the registry has them.
  setCasePerson: (caseId: number, personId: string) => request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/person`, { person_id: personId }),
  askNonRegistered: (caseId: number, question: string, askedOn: string) =>
    request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/non-registered/question`, { question, asked_on: askedOn }),
  answerNonRegistered: (caseId: number, answer: string, answeredOn: string) =>
    request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/non-registered/answer`, { answer, answered_on: answeredOn }),
  completeCase: (caseId: number) => request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/complete`, {}),
  cancelCase: (caseId: number, reason: string) => request<MovementCase>('POST', `/movement-cases/${enc(caseId)}/cancel`, { reason }),

  jukiLoads: (limit = 50) => request<{ items: JukiLoad[] }>('GET', `/juki/loads${buildQuery({ limit })}`),
  quarantine: (status: string) => request<{ items: QuarantineRow[] }>('GET', `/juki/quarantine${buildQuery({ status })}`),
  resolveQuarantine: (id: number, resolution: string) =>
    request<QuarantineRow>('POST', `/juki/quarantine/${enc(id)}/resolve`, { resolution }),
  simulators: () => request<{ items: Simulator[] }>('GET', '/simulators'),
  advanceSimulator: (counterpart: string, days: number) =>
    request<{ summary: string }>('POST', `/simulators/${enc(counterpart)}/advance`, { days }),

  runCardBatch: (month: string) => request<BatchRun>('POST', '/batches/insurance-cards-turning-65', { month }),
  cardBatches: () => request<{ items: BatchRun[] }>('GET', '/batches/insurance-cards-turning-65'),
};

/** The 被保険者証 PDF (SK-17) with its reason code; opened in a new tab, the session cookie goes along. */
export function insuranceCardUrl(personId: string, reason: string): string {
  return `${BASE}${person(personId)}/insurance-card.pdf${buildQuery({ reason })}`;
}

export function batchOutputUrl(batchRunId: number): string {
  return `${BASE}/batches/${enc(batchRunId)}/output.pdf`;
}

/**
 * GET a PDF as a Blob (the card, a batch's print file): a failure (409 not insured, 404) arrives
 * as JSON and becomes an ApiError with the server's words, instead of a JSON page in a new tab.
 */
export async function fetchPdf(url: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/pdf, application/json' } });
  } catch {
    throw new ApiError(0, 'network', errorText(0, undefined, undefined), null);
  }
  if (res.ok) return res.blob();
  let err: { kind?: string; message?: string; field?: string | null } | undefined;
  try {
    err = ((await res.json()) as { error?: typeof err }).error;
  } catch {
    err = undefined;
  }
  throw new ApiError(res.status, err?.kind ?? 'http', errorText(res.status, err?.kind, err?.message), err?.field || null);
}
