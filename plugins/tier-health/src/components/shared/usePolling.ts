import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** How often open views re-read the backend (an unchanged summary costs a 304). */
export const REFRESH_INTERVAL_MS = 5000;

/**
 * Loads whenever `deps` change and keeps the last good value through reloads and failed
 * reloads, so a view neither flashes a spinner nor goes blank on one failed request; `error` then
 * says the view is not current. `identity` (a subset of deps, all by default) scopes the last good
 * value: another entity must not show this one's, but the next page may show the previous one
 * while it loads.
 */
export function useKeptAsync<T>(
  load: () => Promise<T>,
  deps: unknown[],
  identity: unknown[] = deps,
): { value?: T; error?: Error; loading: boolean; retry: () => void } {
  const state = useAsyncRetry(load, deps);
  const identityKey = identity.map(String).join('\u0000');
  const last = useRef<{ identityKey: string; value?: T }>({ identityKey });
  if (last.current.identityKey !== identityKey) last.current = { identityKey };
  if (state.value !== undefined) last.current.value = state.value;
  return {
    value: state.value ?? last.current.value,
    error: state.error,
    loading: state.loading,
    retry: state.retry,
  };
}

/** Loads once, then again every `intervalMs` while the component is mounted (see useKeptAsync). */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  intervalMs = REFRESH_INTERVAL_MS,
): { value?: T; error?: Error; loading: boolean } {
  const { retry, ...state } = useKeptAsync(load, deps);
  useEffect(() => {
    const timer = setInterval(retry, intervalMs);
    return () => clearInterval(timer);
  }, [retry, intervalMs]);
  return state;
}
