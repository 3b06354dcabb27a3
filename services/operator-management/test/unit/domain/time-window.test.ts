import { describe, expect, it } from 'vitest';
import { timeWindowsOverlap, type DayOfWeek, type TimeWindow, type TimeWindowInput } from '../../../src/index.js';
import { canonicalTimeZone, normalizeTimeWindow, sameTimeWindow, timeWindowIssues, weekIntervals } from '../../../src/domain/time-window.js';

const window = (overrides: Partial<TimeWindow> = {}): TimeWindow => ({ days: ['mon'], start: '08:00', end: '17:00', timezone: 'Asia/Kabul', ...overrides });

describe('time windows', () => {
  it('defaults the zone to Asia/Kabul and orders the days', () => {
    expect(normalizeTimeWindow({ days: ['fri', 'mon'], start: '08:00', end: '09:00' })).toEqual({
      days: ['mon', 'fri'],
      start: '08:00',
      end: '09:00',
      timezone: 'Asia/Kabul',
    });
  });

  it('canonicalises the zone name and keeps an unknown one as given', () => {
    expect([canonicalTimeZone('asia/kabul'), canonicalTimeZone('Mars/Olympus')]).toEqual(['Asia/Kabul', null]);
    expect(normalizeTimeWindow({ days: ['mon'], start: '08:00', end: '09:00', timezone: 'Mars/Olympus' }).timezone).toBe('Mars/Olympus');
  });

  it('maps a window to minutes of the week, Monday 00:00 being 0', () => {
    expect(weekIntervals(window({ days: ['tue'] }))).toEqual([[1440 + 480, 1440 + 1020]]);
  });

  it('runs a window whose end is before its start into the next day', () => {
    expect(weekIntervals(window({ days: ['mon'], start: '22:00', end: '06:00' }))).toEqual([[1320, 1440 + 360]]);
  });

  it('splits a Sunday-night window at the end of the week', () => {
    expect(weekIntervals(window({ days: ['sun'], start: '22:00', end: '06:00' }))).toEqual([
      [6 * 1440 + 1320, 7 * 1440],
      [0, 360],
    ]);
  });

  it('treats 00:00 to 24:00 as the whole day', () => {
    expect(weekIntervals(window({ start: '00:00', end: '24:00' }))).toEqual([[0, 1440]]);
  });

  it('finds windows on the same day and hours overlapping', () => {
    expect(timeWindowsOverlap(window(), window({ start: '16:59', end: '18:00' }))).toBe(true);
  });

  it('finds back-to-back windows not overlapping (the end is exclusive)', () => {
    expect(timeWindowsOverlap(window(), window({ start: '17:00', end: '18:00' }))).toBe(false);
  });

  it('finds windows on different days not overlapping', () => {
    expect(timeWindowsOverlap(window(), window({ days: ['tue'] }))).toBe(false);
  });

  it('finds a Sunday-night window overlapping a Monday-morning one', () => {
    expect(timeWindowsOverlap(window({ days: ['sun'], start: '22:00', end: '06:00' }), window({ days: ['mon'], start: '05:00', end: '07:00' }))).toBe(true);
  });

  it('treats windows in different zones as overlapping', () => {
    expect(timeWindowsOverlap(window(), window({ days: ['sat'], timezone: 'UTC' }))).toBe(true);
  });

  it('compares windows by every field', () => {
    expect([sameTimeWindow(window(), window()), sameTimeWindow(window(), window({ end: '17:01' }))]).toEqual([true, false]);
  });

  it.each([
    ['no days', { days: [] as DayOfWeek[] }, 'days'],
    ['an unknown day', { days: ['mon', 'xyz'] as DayOfWeek[] }, 'days[1]'],
    ['a repeated day', { days: ['mon', 'mon'] as DayOfWeek[] }, 'days[1]'],
    ['a start of 24:00', { start: '24:00' }, 'start'],
    ['a start without minutes', { start: '8' }, 'start'],
    ['an end of 25:00', { end: '25:00' }, 'end'],
    ['an end equal to the start', { start: '08:00', end: '08:00' }, 'end'],
    ['an unknown zone', { timezone: 'Kabul' }, 'timezone'],
  ])('refuses %s', (_label, overrides, field) => {
    const input: TimeWindowInput = { days: ['mon'], start: '08:00', end: '17:00', ...overrides };
    expect(timeWindowIssues(input).map((i) => i.field)).toEqual([field]);
  });

  it('accepts 00:00 to 24:00', () => {
    expect(timeWindowIssues({ days: ['mon'], start: '00:00', end: '24:00' })).toEqual([]);
  });
});
