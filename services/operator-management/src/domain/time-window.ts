import { issue, type FieldIssue } from './field-issue.js';

export type DayOfWeek = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const DAYS_OF_WEEK: readonly DayOfWeek[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const DEFAULT_TIMEZONE = 'Asia/Kabul';

/**
 * When a routing rule applies, in local time of `timezone`: on each of `days`, from `start`
 * (inclusive) to `end` (exclusive), both `HH:mm`. An `end` at or before `start` runs past
 * midnight into the next day (`22:00`–`06:00` on `fri` is Friday 22:00 to Saturday 06:00);
 * `end` may be `24:00`.
 */
export interface TimeWindow {
  readonly days: readonly DayOfWeek[];
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
}

export interface TimeWindowInput {
  readonly days: readonly DayOfWeek[];
  readonly start: string;
  readonly end: string;
  /** IANA zone; `Asia/Kabul` when absent. */
  readonly timezone?: string;
}

const START = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The canonical IANA name of `zone` (`asia/kabul` → `Asia/Kabul`), or null when unknown. */
export function canonicalTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Days in week order without repeats, and the canonical zone name (unknown zones stay as given). */
export function normalizeTimeWindow(input: TimeWindowInput): TimeWindow {
  const zone = (input.timezone ?? DEFAULT_TIMEZONE).trim();
  return {
    days: DAYS_OF_WEEK.filter((d) => input.days.includes(d)),
    start: input.start.trim(),
    end: input.end.trim(),
    timezone: canonicalTimeZone(zone) ?? zone,
  };
}

/** Issues with a time window as the caller gave it (fields relative: `days`, `start`, …). */
export function timeWindowIssues(input: TimeWindowInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.days.length === 0) issues.push(issue('days', 'needs at least one day'));
  input.days.forEach((day, i) => {
    if (!DAYS_OF_WEEK.includes(day)) issues.push(issue(`days[${i}]`, `must be one of ${DAYS_OF_WEEK.join(', ')}`));
    else if (input.days.indexOf(day) !== i) issues.push(issue(`days[${i}]`, `repeats ${day}`));
  });
  const start = input.start.trim();
  const end = input.end.trim();
  if (!START.test(start)) issues.push(issue('start', 'must be HH:mm from 00:00 to 23:59'));
  if (!START.test(end) && end !== '24:00') issues.push(issue('end', 'must be HH:mm from 00:00 to 24:00'));
  if (START.test(start) && minutesOf(start) === minutesOf(end) % MINUTES_PER_DAY && end !== '24:00') {
    issues.push(issue('end', 'must differ from start (use 00:00 to 24:00 for a whole day)'));
  }
  if (input.timezone !== undefined && canonicalTimeZone(input.timezone.trim()) === null) {
    issues.push(issue('timezone', 'must be an IANA time zone such as Asia/Kabul'));
  }
  return issues;
}

/** The window as half-open minute intervals of the week (Monday 00:00 = 0), split at the week's end. */
export function weekIntervals(window: TimeWindow): [number, number][] {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const duration = end > start ? end - start : end + MINUTES_PER_DAY - start;
  const intervals: [number, number][] = [];
  for (const day of window.days) {
    const from = DAYS_OF_WEEK.indexOf(day) * MINUTES_PER_DAY + start;
    const to = from + duration;
    if (to <= MINUTES_PER_WEEK) {
      intervals.push([from, to]);
    } else {
      intervals.push([from, MINUTES_PER_WEEK], [0, to - MINUTES_PER_WEEK]);
    }
  }
  return intervals;
}

/**
 * True when both windows are open at some moment. Windows in different zones are treated as
 * overlapping: offsets move with daylight saving, so a safe answer needs the same zone.
 */
export function timeWindowsOverlap(a: TimeWindow, b: TimeWindow): boolean {
  if (a.timezone !== b.timezone) return true;
  const bIntervals = weekIntervals(b);
  return weekIntervals(a).some(([aFrom, aTo]) => bIntervals.some(([bFrom, bTo]) => aFrom < bTo && bFrom < aTo));
}

export const sameTimeWindow = (a: TimeWindow, b: TimeWindow): boolean =>
  a.timezone === b.timezone && a.start === b.start && a.end === b.end && a.days.join(',') === b.days.join(',');
