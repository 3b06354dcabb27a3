import { describe, expect, it } from 'vitest';
import { isWithinWindow, localTimeIn, minuteOfDay } from '../../src/index.js';
import type { TimeWindow } from '../../src/index.js';

const kabul = (days: TimeWindow['days'], start: string, end: string): TimeWindow => ({ days, start, end, timezone: 'Asia/Kabul' });
// Kabul is UTC+4:30 all year (no daylight saving).
const atKabul = (isoLocal: string): Date => new Date(new Date(`${isoLocal}Z`).getTime() - 270 * 60_000);

describe('time windows', () => {
  it('reads the local day and minute in Asia/Kabul', () => {
    expect(localTimeIn(new Date('2026-04-21T05:30:00.000Z'), 'Asia/Kabul')).toEqual({ day: 'tue', minute: 600 });
  });

  it('gives no local time for a zone the runtime does not know', () => {
    expect(localTimeIn(new Date(), 'Mars/Olympus_Mons')).toBeNull();
  });

  it('converts 24:00 to the end of the day', () => {
    expect(minuteOfDay('24:00')).toBe(1440);
  });

  it('is open from its start on a listed day', () => {
    expect(isWithinWindow(kabul(['tue'], '09:00', '17:00'), atKabul('2026-04-21T09:00:00'))).toBe(true);
  });

  it('is closed at its end, which is exclusive', () => {
    expect(isWithinWindow(kabul(['tue'], '09:00', '17:00'), atKabul('2026-04-21T17:00:00'))).toBe(false);
  });

  it('is closed on a day it does not list', () => {
    expect(isWithinWindow(kabul(['mon'], '09:00', '17:00'), atKabul('2026-04-21T10:00:00'))).toBe(false);
  });

  it('judges the day in the window zone, not in UTC', () => {
    // Tuesday 02:00 in Kabul is still Monday 21:30 in UTC.
    expect(isWithinWindow(kabul(['tue'], '00:00', '03:00'), atKabul('2026-04-21T02:00:00'))).toBe(true);
  });

  it('runs past midnight into the next day when its end is before its start', () => {
    const fridayNight = kabul(['fri'], '22:00', '06:00');
    expect(isWithinWindow(fridayNight, atKabul('2026-04-25T05:59:00'))).toBe(true);
  });

  it('belongs to the day it starts on when it runs past midnight', () => {
    const fridayNight = kabul(['fri'], '22:00', '06:00');
    expect(isWithinWindow(fridayNight, atKabul('2026-04-24T05:00:00'))).toBe(false);
  });

  it('is open until midnight when it ends at 24:00', () => {
    expect(isWithinWindow(kabul(['tue'], '18:00', '24:00'), atKabul('2026-04-21T23:59:00'))).toBe(true);
  });

  it('is never open in a zone the runtime does not know', () => {
    const window: TimeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', timezone: 'Nowhere/Void' };
    expect(isWithinWindow(window, new Date())).toBe(false);
  });
});
