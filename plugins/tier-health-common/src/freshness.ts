/**
 * How old data is, said the way the views say it: "last seen Green 40 s ago". Pure.
 *
 * @public
 */
export function lastSeenText(
  lastSeen: string | undefined,
  ageSeconds: number | undefined,
): string {
  const what = lastSeen ? `last seen ${lastSeen}` : 'last seen';
  return ageSeconds === undefined
    ? `${what} earlier`
    : `${what} ${formatAge(ageSeconds)} ago`;
}

/** `40 s`, `3 min`, `2 h` @public */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
