// The 賦課 calls of docs/api-premium.md: a person's assessments and 再計算, the table in force,
// the yearly (本算定) and revision (異動賦課) runs, the what-if, and the person's 徴収. Same door as api.ts.
import { request } from './api';
import type {
  AssessOutcome,
  NoticeRun,
  PersonAssessments,
  PersonCollection,
  PremiumRun,
  PremiumTableView,
  RevisionRunResult,
  SimulationResult,
} from './premium_types';
import { buildQuery } from './query';

const enc = (v: string | number) => encodeURIComponent(String(v));

export const premiumApi = {
  assessments: (personId: string) => request<PersonAssessments>('GET', `/persons/${enc(personId)}/premium/assessments`),
  assess: (personId: string, fiscalYear: number) =>
    request<AssessOutcome>('POST', `/persons/${enc(personId)}/premium/assessments`, { fiscal_year: fiscalYear }),
  table: (fiscalYear: number) => request<PremiumTableView>('GET', `/premium/table${buildQuery({ fiscal_year: fiscalYear })}`),
  runs: () => request<{ runs: PremiumRun[] }>('GET', '/premium/runs'),
  startAnnual: (fiscalYear: number) => request<PremiumRun>('POST', '/premium/runs', { job: 'annual', fiscal_year: fiscalYear }),
  runRevisions: () => request<RevisionRunResult>('POST', '/premium/runs', { job: 'revisions' }),
  noticeRuns: () => request<{ runs: NoticeRun[] }>('GET', '/premium/notice-runs'),
  // 202 and the run, or 200 with batch_run_id 0 / status nothing_to_notice when every assessment was noticed.
  startNoticeRun: (fiscalYear: number) =>
    request<{ batch_run_id: number; status: string }>('POST', '/premium/notice-runs', { fiscal_year: fiscalYear }),
  // 徴収 (特別徴収・普通徴収) of every year: server/tokucho_routes.cpp.
  collection: (personId: string) => request<PersonCollection>('GET', `/persons/${enc(personId)}/premium/collection`),
  simulate: (fiscalYear: number, table: Record<string, unknown>) =>
    request<SimulationResult>('POST', '/premium/simulations', { fiscal_year: fiscalYear, table }),
};

/** FK-11 保険料額決定通知書 (or 変更通知書) of the person's current assessment of a year; the server records it as issued. */
export function premiumNoticeUrl(personId: string, fiscalYear: number): string {
  return `/api/v1/persons/${enc(personId)}/premium/notice.pdf${buildQuery({ fiscal_year: fiscalYear })}`;
}

/** One print file (PDF) of an FK-11 run; files are numbered from 1. */
export function noticeRunFileUrl(batchRunId: number, fileNo: number): string {
  return `/api/v1/premium/notice-runs/${enc(batchRunId)}/files/${enc(fileNo)}`;
}
