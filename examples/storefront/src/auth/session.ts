// The signed-in session: held in memory for the links and the UI, and copied to sessionStorage so a
// reload keeps the customer signed in while a closed tab forgets the tokens.

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; name: string; email: string };
}

const STORAGE_KEY = 'storefront.session';

let current: Session | null = readStoredSession();
const listeners = new Set<() => void>();

/** The session as it is now, or null when nobody is signed in. */
export function getSession(): Session | null {
  return current;
}

/** Starts (or, with null, ends) the session and tells every subscriber. */
export function saveSession(session: Session | null): void {
  current = session;
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

/** Keeps the user, swaps the token pair (after RefreshToken). */
export function saveTokens(tokens: { accessToken: string; refreshToken: string }): void {
  if (current) saveSession({ ...current, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
}

/** Calls `listener` after every change; returns the unsubscribe function (useSyncExternalStore's shape). */
export function subscribeToSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function readStoredSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) return null;
  try {
    const session = JSON.parse(stored) as Partial<Session>;
    const isComplete =
      typeof session.accessToken === 'string' && typeof session.refreshToken === 'string' && typeof session.user?.id === 'string';
    return isComplete ? (session as Session) : null;
  } catch {
    return null;
  }
}
