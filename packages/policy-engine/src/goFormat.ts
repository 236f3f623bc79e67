/**
 * Go value formats Kyverno's JMESPath functions print: `time.Duration.String()`
 * (`1h30m0s`, `500ms`), RFC 3339 times, and Kubernetes quantity canonical form
 * (`1536Mi`, `1500m`).
 */
import { parseDuration } from './quantity';

/** Formats nanoseconds the way Go's `time.Duration.String()` does. */
export function formatGoDuration(nanoseconds: number): string {
  let ns = Math.trunc(nanoseconds);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  ns = Math.abs(ns);
  if (ns < 1e9) {
    // Sub-second durations use the largest fitting unit with a fraction.
    let [unit, size] = ['ms', 1e6];
    if (ns < 1e3) [unit, size] = ['ns', 1];
    else if (ns < 1e6) [unit, size] = ['µs', 1e3];
    return `${sign}${trimFraction(ns / size)}${unit}`;
  }
  const hours = Math.floor(ns / 3600e9);
  ns -= hours * 3600e9;
  const minutes = Math.floor(ns / 60e9);
  ns -= minutes * 60e9;
  const seconds = trimFraction(ns / 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function trimFraction(n: number): string {
  // Nine decimals at most (nanosecond precision), no trailing zeros.
  return Number(n.toFixed(9)).toString();
}

/** Parses a Go duration into nanoseconds or throws with Go's message. */
export function requireDuration(text: unknown): number {
  const ns = parseDuration(text);
  if (ns === undefined) {
    throw new Error(`time: invalid duration "${String(text)}"`);
  }
  return ns;
}

/** Milliseconds since the epoch of a UTC date; years below 100 stay as written (Date.UTC maps them to 19xx). */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Parses an RFC 3339 time (what every Kyverno time function takes). */
export function parseRfc3339(text: unknown): ParsedTime {
  const m =
    typeof text === 'string'
      ? /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(
          text,
        )
      : null;
  if (!m) {
    throw new Error(`parsing time "${String(text)}" as RFC3339: cannot parse`);
  }
  const offsetMinutes =
    m[8].toUpperCase() === 'Z'
      ? 0
      : (m[8].startsWith('-') ? -1 : 1) *
        (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  const fractionNs = m[7] ? Math.round(Number(`0${m[7]}`) * 1e9) : 0;
  const localMs = utcMs(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
  return {
    epochMs: localMs - offsetMinutes * 60000,
    fractionNs,
    offsetMinutes,
  };
}

/** A point in time with its zone offset (Go keeps the offset when printing). */
export interface ParsedTime {
  /** Whole milliseconds since the epoch, without the sub-second fraction. */
  epochMs: number;
  /** Sub-second part in nanoseconds. */
  fractionNs: number;
  /** Zone offset east of UTC in minutes. */
  offsetMinutes: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats like Go's `time.RFC3339` (`Z` for UTC, no fraction). */
export function formatRfc3339(t: ParsedTime): string {
  const local = new Date(t.epochMs + t.offsetMinutes * 60000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(
    local.getUTCMonth() + 1,
  )}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(
    local.getUTCMinutes(),
  )}:${pad(local.getUTCSeconds())}`;
  if (t.offsetMinutes === 0) return `${date}Z`;
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetMinutes);
  return `${date}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Nanoseconds since the epoch (float; exact enough for durations of years). */
export function epochNs(t: ParsedTime): number {
  return t.epochMs * 1e6 + t.fractionNs;
}

export function fromEpochNs(ns: number, offsetMinutes: number): ParsedTime {
  const epochMs = Math.floor(ns / 1e9) * 1000;
  return { epochMs, fractionNs: Math.round(ns - epochMs * 1e6), offsetMinutes };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Parses `value` with a Go reference layout (`2006-01-02T15:04:05Z07:00`,
 * `Mon Jan _2 15:04:05 2006`, ...). Supports the numeric and month-name
 * elements; a layout made only of digits other than a reference layout is
 * taken as Kyverno does: the value is a Unix epoch in seconds.
 */
export function parseGoLayout(layout: string, value: string): ParsedTime {
  const tokens: Array<[string, string]> = [
    ['2006', '(\\d{4})'],
    ['January', `(${MONTHS.join('|')})`],
    ['Jan', `(${MONTHS.map(m => m.slice(0, 3)).join('|')})`],
    ['Monday', '(?:[A-Z][a-z]+day)'],
    ['Mon', '(?:[A-Z][a-z]{2})'],
    ['MST', '(?:[A-Z]{3,4})'],
    ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})'],
    ['-07:00', '([+-]\\d{2}:\\d{2})'],
    ['Z0700', '(Z|[+-]\\d{4})'],
    ['-0700', '([+-]\\d{4})'],
    ['01', '(\\d{2})'],
    ['02', '(\\d{2})'],
    ['_2', '\\s?(\\d{1,2})'],
    ['15', '(\\d{2})'],
    ['03', '(\\d{2})'],
    ['04', '(\\d{2})'],
    ['05', '(\\d{2})'],
    ['.000000000', '(\\.\\d{9})'],
    ['.000000', '(\\.\\d{6})'],
    ['.000', '(\\.\\d{3})'],
    ['.999999999', '(\\.\\d+)?'],
    ['PM', '(AM|PM)'],
    ['06', '(\\d{2})'],
    ['1', '(\\d{1,2})'],
    ['2', '(\\d{1,2})'],
    ['3', '(\\d{1,2})'],
    ['4', '(\\d{1,2})'],
    ['5', '(\\d{1,2})'],
  ];
  let regex = '^';
  const fields: string[] = [];
  let rest = layout;
  while (rest.length > 0) {
    const remaining = rest;
    const token = tokens.find(([t]) => remaining.startsWith(t));
    if (token) {
      const [name, re] = token;
      regex += re;
      if (re.includes('(') && !re.startsWith('(?:')) fields.push(name);
      rest = rest.slice(name.length);
    } else {
      regex += rest[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      rest = rest.slice(1);
    }
  }
  const m = new RegExp(`${regex}$`).exec(value);
  if (!m) {
    throw new Error(`parsing time "${value}" as "${layout}": cannot parse`);
  }
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fractionNs = 0;
  let offsetMinutes = 0;
  let pm: boolean | undefined;
  fields.forEach((token, i) => {
    const v = m[i + 1];
    if (v === undefined) return;
    switch (token) {
      case '2006':
        year = Number(v);
        break;
      case '06':
        year = 2000 + Number(v) - (Number(v) >= 69 ? 100 : 0);
        break;
      case 'January':
        month = MONTHS.indexOf(v) + 1;
        break;
      case 'Jan':
        month = MONTHS.findIndex(n => n.startsWith(v)) + 1;
        break;
      case '01':
      case '1':
        month = Number(v);
        break;
      case '02':
      case '_2':
      case '2':
        day = Number(v);
        break;
      case '15':
      case '03':
      case '3':
        hour = Number(v);
        break;
      case '04':
      case '4':
        minute = Number(v);
        break;
      case '05':
      case '5':
        second = Number(v);
        break;
      case 'PM':
        pm = v === 'PM';
        break;
      case 'Z07:00':
      case '-07:00':
      case 'Z0700':
      case '-0700': {
        if (v === 'Z') break;
        const digits = v.replace(':', '');
        offsetMinutes =
          (digits.startsWith('-') ? -1 : 1) *
          (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
        break;
      }
      default:
        fractionNs = Math.round(Number(`0${v}`) * 1e9);
    }
  });
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  const localMs = utcMs(year, month, day, hour, minute, second);
  return {
    epochMs: localMs - offsetMinutes * 60000,
    fractionNs,
    offsetMinutes,
  };
}

// ---- quantities -------------------------------------------------------------

const BINARY_SUFFIXES: Array<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const DECIMAL_SUFFIXES: Array<[string, number]> = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
  ['', 1],
  ['m', 1e-3],
  ['u', 1e-6],
  ['n', 1e-9],
];

/** Whether a quantity string uses a binary suffix (its format is BinarySI). */
export function isBinaryQuantity(text: string): boolean {
  return /(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(text.trim());
}

function isWhole(n: number): boolean {
  return Math.abs(n - Math.round(n)) < 1e-9 * Math.max(1, Math.abs(n));
}

/**
 * Canonical string of a quantity value, like `resource.Quantity.String()`:
 * the largest suffix that keeps a whole mantissa, binary suffixes when the
 * format is BinarySI and the value is a whole number of bytes.
 */
export function formatQuantity(value: number, binary: boolean): string {
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (binary && isWhole(abs) && abs >= 1024) {
    for (const [suffix, size] of BINARY_SUFFIXES) {
      if (abs >= size && isWhole(abs / size)) {
        return `${sign}${Math.round(abs / size)}${suffix}`;
      }
    }
  }
  if (binary && isWhole(abs)) return `${sign}${Math.round(abs)}`;
  for (const [suffix, size] of DECIMAL_SUFFIXES) {
    if (abs >= size && isWhole(abs / size)) {
      return `${sign}${Math.round(abs / size)}${suffix}`;
    }
  }
  // Below a nano unit Kubernetes rounds up to 1n.
  return `${sign}${Math.ceil(abs / 1e-9)}n`;
}
