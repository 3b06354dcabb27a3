import { describe, expect, it } from 'vitest';
import { mccMncIssues } from '../../../src/domain/mcc-mnc.js';
import { MAX_PREFIXES, prefixListIssues } from '../../../src/domain/number-prefix.js';
import {
  normalizeTimeWindow,
  sameTimeWindow,
  timeWindowIssues,
  timeWindowsOverlap,
  weekIntervals,
  type TimeWindow,
} from '../../../src/domain/time-window.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no test pinned down.

describe('MCC/MNC issues', () => {
  it('explains a malformed country', () => {
    expect(mccMncIssues('aggregator', null, null, 'Afghanistan')).toEqual([
      { field: 'country', message: 'must be an ISO 3166-1 alpha-2 code such as AF' },
    ]);
  });

  it('asks a mobile network operator for both codes and lets an aggregator have neither', () => {
    expect(mccMncIssues('mno', null, null, 'AF')).toEqual([
      { field: 'mcc', message: 'a mobile network operator needs an MCC and an MNC' },
    ]);
    expect(mccMncIssues('aggregator', null, null, 'AF')).toEqual([]);
  });

  it('names the missing half when only one code is given', () => {
    expect(mccMncIssues('mno', null, '20', 'AF')).toEqual([{ field: 'mcc', message: 'is required when an MNC is given' }]);
    expect(mccMncIssues('mno', '412', null, 'AF')).toEqual([{ field: 'mnc', message: 'is required when an MCC is given' }]);
  });

  it.each(['4120', 'a262', '41'])('refuses the MCC %s as not exactly 3 digits', (mcc) => {
    expect(mccMncIssues('mno', mcc, '20', 'DE')).toEqual([{ field: 'mcc', message: 'must be exactly 3 digits' }]);
  });

  it('refuses an MCC of another country and says which one is expected', () => {
    expect(mccMncIssues('mno', '262', '01', 'AF')).toEqual([{ field: 'mcc', message: '262 is not an MCC of AF (expected 412)' }]);
  });

  it('explains a malformed MNC', () => {
    expect(mccMncIssues('mno', '412', '2', 'AF')).toEqual([{ field: 'mnc', message: 'must be 2 or 3 digits' }]);
  });
});

describe('prefix list issues', () => {
  const distinctPrefixes = (count: number): string[] => Array.from({ length: count }, (_, i) => `${1000 + i}`);

  it(`accepts exactly ${MAX_PREFIXES} prefixes and refuses one more`, () => {
    expect(prefixListIssues(distinctPrefixes(MAX_PREFIXES), 'prefixes')).toEqual([]);
    expect(prefixListIssues(distinctPrefixes(MAX_PREFIXES + 1), 'prefixes')).toEqual([
      { field: 'prefixes', message: 'at most 1000 prefixes' },
    ]);
  });

  it('says what a prefix must look like and which one repeats', () => {
    expect(prefixListIssues(['0793', '9370', '9370'], 'prefixes')).toEqual([
      { field: 'prefixes[0]', message: 'must be 1 to 15 digits, not starting with 0 (an E.164 prefix without "+")' },
      { field: 'prefixes[2]', message: 'repeats prefix 9370' },
    ]);
  });
});

describe('time windows', () => {
  const window = (overrides: Partial<TimeWindow> = {}): TimeWindow => ({
    days: ['mon'],
    start: '08:00',
    end: '17:00',
    timezone: 'Asia/Kabul',
    ...overrides,
  });

  it('trims the times and the zone it is given and keeps days in week order', () => {
    expect(normalizeTimeWindow({ days: ['fri', 'wed', 'tue'], start: ' 08:00 ', end: ' 09:30 ', timezone: ' Asia/Kabul ' })).toEqual({
      days: ['tue', 'wed', 'fri'],
      start: '08:00',
      end: '09:30',
      timezone: 'Asia/Kabul',
    });
  });

  it('finds no issue in a window given with surrounding spaces and no zone', () => {
    expect(timeWindowIssues({ days: ['mon'], start: ' 08:00', end: '09:00 ' })).toEqual([]);
    expect(timeWindowIssues({ days: ['mon'], start: '08:00', end: '09:00', timezone: ' Asia/Kabul ' })).toEqual([]);
  });

  it('explains each problem of a window', () => {
    expect(timeWindowIssues({ days: [], start: '8am', end: '25:00', timezone: 'Mars/Olympus' })).toEqual([
      { field: 'days', message: 'needs at least one day' },
      { field: 'start', message: 'must be HH:mm from 00:00 to 23:59' },
      { field: 'end', message: 'must be HH:mm from 00:00 to 24:00' },
      { field: 'timezone', message: 'must be an IANA time zone such as Asia/Kabul' },
    ]);
    expect(timeWindowIssues({ days: ['mon', 'mon', 'someday' as 'mon'], start: '08:00', end: '08:00' })).toEqual([
      { field: 'days[1]', message: 'repeats mon' },
      { field: 'days[2]', message: 'must be one of mon, tue, wed, thu, fri, sat, sun' },
      { field: 'end', message: 'must differ from start (use 00:00 to 24:00 for a whole day)' },
    ]);
  });

  it.each(['x08:00', '08:001'])('refuses the start %s', (start) => {
    expect(timeWindowIssues({ days: ['mon'], start, end: '09:00' }).map((i) => i.field)).toEqual(['start']);
  });

  it('counts minutes within the hour', () => {
    expect(weekIntervals(window({ start: '10:30', end: '11:15' }))).toEqual([[630, 675]]);
  });

  it('treats an end equal to the start as running for a whole day', () => {
    expect(weekIntervals(window({ start: '08:00', end: '08:00' }))).toEqual([[480, 1920]]);
  });

  it('keeps a Sunday window ending at midnight in one piece', () => {
    expect(weekIntervals(window({ days: ['sun'], start: '00:00', end: '24:00' }))).toEqual([[8640, 10080]]);
  });

  it('overlaps when any one of the other window days overlaps', () => {
    expect(timeWindowsOverlap(window({ days: ['mon'] }), window({ days: ['mon', 'wed'] }))).toBe(true);
  });

  it('calls windows the same only when zone, times and days all match', () => {
    expect(sameTimeWindow(window(), window())).toBe(true);
    expect(sameTimeWindow(window(), window({ timezone: 'UTC' }))).toBe(false);
    expect(sameTimeWindow(window(), window({ start: '09:00' }))).toBe(false);
    expect(sameTimeWindow(window(), window({ end: '18:00' }))).toBe(false);
    expect(sameTimeWindow(window(), window({ days: ['mon', 'tue'] }))).toBe(false);
  });
});
