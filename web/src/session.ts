// Who is logged in. The session itself is the HttpOnly `kaigo_session` cookie; this module keeps
// the /me body for the header and hands the CSRF token to the API module.
import { api, ApiError, setCsrfToken } from './api';
import type { Me } from './types';

let current: Me | null = null;

export function currentUser(): Me | null {
  return current;
}

export function setUser(me: Me | null): void {
  current = me;
  setCsrfToken(me?.csrf_token ?? '');
}

/** Ask the server whether the cookie still names a session; 401 means "show the login page". */
export async function restoreSession(): Promise<Me | null> {
  try {
    setUser(await api.me());
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    setUser(null);
  }
  return current;
}
