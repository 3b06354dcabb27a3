import type { TimeWindow, Weekday } from './routing-model.js';
import { WEEKDAYS } from './routing-model.js';

/** Local day of week and minute of day of an instant in a time zone. */
export interface LocalTime {
  readonly day: Weekday;
  /** 0–1439. */
  readonly minute: number;
}

const SHORT_DAY: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

// Building a DateTimeFormat costs far more than using one; resolution must stay well under 1 ms.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The local time of `now` in `timezone`, or null for a zone the runtime does not know. */
export function localTimeIn(now: Date, timezone: string): LocalTime | null {
  const formatter = formatterFor(timezone);
  if (formatter === null) return null;
  let day: Weekday | undefined;
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(now)) {
    if (part.type === 'weekday') day = SHORT_DAY[part.value];
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  if (day === undefined) return null;
  return { day, minute: hour * 60 + minute };
}

/** `HH:mm` (or `24:00`) as minutes since midnight. */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}

function previousDay(day: Weekday): Weekday {
  const index = WEEKDAYS.indexOf(day);
  return WEEKDAYS[(index + 6) % 7] ?? 'sun';
}

/**
 * Whether `now` falls inside the window: `[start, end)` on each listed day, local to the window's
 * zone. A window whose end is not after its start runs past midnight and belongs to the day it
 * starts on (Friday 22:00–06:00 covers Friday 22:00 to Saturday 06:00). A window in a zone the
 * runtime does not know is never open.
 */
export function isWithinWindow(window: TimeWindow, now: Date): boolean {
  const local = localTimeIn(now, window.timezone);
  if (local === null) return false;
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  if (start < end) return window.days.includes(local.day) && local.minute >= start && local.minute < end;
  return (
    (window.days.includes(local.day) && local.minute >= start) ||
    (window.days.includes(previousDay(local.day)) && local.minute < end)
  );
}
