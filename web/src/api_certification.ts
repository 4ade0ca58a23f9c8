// The 認定 calls of docs/api-certification.md: applications and their clock, the workflow
// (assessment, opinion, committee sessions), notices, the report, renewals, fees. Same door as
// api.ts (session cookie, CSRF token).
import { request } from './api';
import type {
  Application,
  ApplicationList,
  FeeList,
  FeeRunFile,
  HomeAssessment,
  IssuedDocument,
  Masters,
  NewApplication,
  NewSession,
  PersonCertifications,
  PhysicianOpinion,
  PrintRun,
  Postponement,
  RenewalRow,
  Report,
  Session,
  SessionSummary,
} from './certification_types';
import { buildQuery, type QueryParams } from './query';

const enc = (v: string | number) => encodeURIComponent(String(v));
const app = (id: number | string) => `/certification/applications/${enc(id)}`;

export const certificationApi = {
  applications: (params: QueryParams) => request<ApplicationList>('GET', `/certification/applications${buildQuery(params)}`),
  application: (id: number | string) => request<Application>('GET', app(id)),
  createApplication: (body: NewApplication) => request<Application>('POST', '/certification/applications', body),
  withdraw: (id: number, reason: string) => request<Application>('POST', `${app(id)}/withdraw`, { reason }),
  postpone: (id: number, reason: string, expectedOn: string) =>
    request<Postponement>('POST', `${app(id)}/postponements`, { reason, expected_on: expectedOn }),
  requestAssessment: (id: number, body: { assessor_kind: string; contractor_code?: string; assessor_name?: string; due_on?: string }) =>
    request<HomeAssessment>('POST', `${app(id)}/assessment-request`, body),
  requestOpinion: (id: number, body: { institution_code: string; doctor_name: string; first_visit: boolean }) =>
    request<PhysicianOpinion>('POST', `${app(id)}/opinion-request`, body),
  issueNotice: (id: number) => request<IssuedDocument>('POST', `${app(id)}/notice`, {}),
  // NT-13 as a batch: every decided application not notified yet, into one print file.
  noticeRun: () => request<{ batch_run_id: number; status: string; notices: number; cards: number; pdf: string | null }>('POST', '/certification/notice-runs', {}),
  printRuns: () => request<{ items: PrintRun[] }>('GET', '/certification/print-runs'),
  // NT-06: the 受給資格証明書 of the person's current certification (sent to the medical insurer too).
  entitlementCertificate: (personId: string, body: { moved_out_on?: string; new_address?: string }) =>
    request<IssuedDocument>('POST', `/certification/persons/${enc(personId)}/entitlement-certificate`, body),
  masters: () => request<Masters>('GET', '/certification/masters'),
  sessions: (params: QueryParams = {}) => request<{ items: SessionSummary[] }>('GET', `/certification/sessions${buildQuery(params)}`),
  session: (id: number | string) => request<Session>('GET', `/certification/sessions/${enc(id)}`),
  createSession: (body: NewSession) => request<Session>('POST', '/certification/sessions', body),
  addCases: (id: number, applicationIds: number[]) =>
    request<Session>('POST', `/certification/sessions/${enc(id)}/cases`, { application_ids: applicationIds }),
  sendSession: (id: number) => request<Session>('POST', `/certification/sessions/${enc(id)}/request`, {}),
  report: (from: string, to: string) => request<Report>('GET', `/certification/report${buildQuery({ from, to })}`),
  person: (personId: string) => request<PersonCertifications>('GET', `/certification/persons/${enc(personId)}`),
  renewals: (withinDays: number) => request<{ items: RenewalRow[] }>('GET', `/certification/renewals${buildQuery({ within_days: withinDays, limit: 1000 })}`),
  // The batch: one document each, into one print file (`pdf`, null when nobody was due).
  sendRenewalReminders: () =>
    request<{ issued: number; document_ids: number[]; pdf?: string | null }>('POST', '/certification/renewal-reminders', {}),
  resultsToWelfare: () => request<{ rows: number; exchange_id: number | null }>('POST', '/certification/results-to-welfare', {}),
  fees: (sent: boolean, limit: number) => request<FeeList>('GET', `/certification/fees${buildQuery({ sent: sent ? 'true' : 'false', limit })}`),
  feeRun: () => request<{ files: FeeRunFile[] }>('POST', '/certification/fee-runs', {}),
};

/** Any issued document (通知書, 延期通知書 …) as PDF. */
export function documentUrl(documentId: number): string {
  return `/api/v1/certification/documents/${enc(documentId)}.pdf`;
}

/** The 延期通知書 of one postponement. */
export function postponementNoticeUrl(applicationId: number, postponementId: number): string {
  return `/api/v1${app(applicationId)}/postponements/${enc(postponementId)}/notice.pdf`;
}
