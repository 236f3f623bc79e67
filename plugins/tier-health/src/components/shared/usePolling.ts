import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** How often open views re-read the backend; the backend's snapshots refresh about as often. */
export const REFRESH_INTERVAL_MS = 5000;

/**
 * Loads once, then again every `intervalMs` while the component is mounted. Keeps the last good
 * value through reloads and failed reloads, so the page neither flashes a spinner every few
 * seconds nor goes blank on one failed request; `error` then says the view is not current.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  intervalMs = REFRESH_INTERVAL_MS,
): { value?: T; error?: Error; loading: boolean } {
  const state = useAsyncRetry(load, deps);
  // The last good value belongs to these deps only: another entity must not show this one's.
  const depsKey = deps.map(String).join('\u0000');
  const last = useRef<{ depsKey: string; value?: T }>({ depsKey });
  if (last.current.depsKey !== depsKey) last.current = { depsKey };
  if (state.value !== undefined) last.current.value = state.value;
  const { retry } = state;
  useEffect(() => {
    const timer = setInterval(retry, intervalMs);
    return () => clearInterval(timer);
  }, [retry, intervalMs]);
  return {
    value: state.value ?? last.current.value,
    error: state.error,
    loading: state.loading,
  };
}
