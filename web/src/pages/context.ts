// What main.ts hands each page: where to draw, whether the page is still the one on screen
// (answers that arrive after the user moved on are dropped), and what to do on a lost session.
import { ApiError } from '../api';

export interface PageContext {
  main: HTMLElement;
  isCurrent: () => boolean;
  sessionExpired: () => void;
}

/** Turn a failure into the banner text; a 401 sends the user back to the login page instead. */
export function failureMessage(ctx: PageContext, e: unknown): string | null {
  if (e instanceof ApiError) {
    if (e.status === 401) {
      ctx.sessionExpired();
      return null;
    }
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
