import { describe, expect, it } from 'vitest';
import { HandlerPool } from '../../src/handler-pool.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('HandlerPool', () => {
  it('never runs more tasks at once than its limit', async () => {
    const pool = new HandlerPool(3);
    let running = 0;
    let peak = 0;

    for (let i = 0; i < 10; i++) {
      await pool.acquire();
      pool.run(`key-${i}`, 1000, async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(5);
        running--;
      });
    }
    await pool.idle();

    expect(peak).toBe(3);
  });

  it('runs the tasks of one key one after another, in order', async () => {
    const pool = new HandlerPool(8);
    const events: string[] = [];

    for (const n of [1, 2, 3]) {
      await pool.acquire();
      pool.run('same', 1000, async () => {
        events.push(`start ${n}`);
        await sleep(n === 1 ? 20 : 1);
        events.push(`end ${n}`);
      });
    }
    await pool.idle();

    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('gives up on a task past its budget, freeing its key and marking its lease expired', async () => {
    const pool = new HandlerPool(1);
    const events: string[] = [];
    let firstLease: { readonly expired: boolean } | undefined;

    await pool.acquire();
    pool.run('same', 30, async (lease) => {
      firstLease = lease;
      await sleep(200);
      events.push('slow finished');
    });
    await pool.acquire();
    pool.run('same', 1000, () => {
      events.push('next ran');
      return Promise.resolve();
    });
    await pool.idle();

    expect(events).toEqual(['next ran']);
    expect(firstLease?.expired).toBe(true);
  });
});
