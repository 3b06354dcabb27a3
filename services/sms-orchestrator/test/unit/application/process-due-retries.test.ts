import { describe, expect, it } from 'vitest';
import { ProcessDueRetries } from '../../../src/application/process-due-retries.use-case.js';
import type { ProcessMessage } from '../../../src/application/process-message.use-case.js';
import { TENANT, acceptMessage, createHarness } from '../../support/harness.js';
import type { Harness } from '../../support/harness.js';

async function messagesAwaitingRetry(h: Harness, count: number): Promise<string[]> {
  h.router.answer({ outcome: 'unavailable', reason: 'down' });
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = await acceptMessage(h);
    await h.processMessage.execute({ tenantId: TENANT, messageId: id });
    ids.push(id);
  }
  return ids;
}

describe('ProcessDueRetries', () => {
  it('runs the pipeline for every message whose retry is due', async () => {
    const h = createHarness();
    const ids = await messagesAwaitingRetry(h, 2);
    h.router.answer({ outcome: 'route', route: { operatorId: 'awcc', connectionId: 'awcc-1' } });
    h.clock.advance(1_000);
    const sweep = new ProcessDueRetries({ finder: h.messages, processMessage: h.processMessage, clock: h.clock });
    expect(await sweep.execute({ limit: 100 })).toEqual({ found: 2, outcomes: { dispatched: 2 }, failures: [] });
    expect(ids.map((id) => h.messages.get(id)?.status)).toEqual(['routed', 'routed']);
  });

  it('leaves messages whose retry is not due yet', async () => {
    const h = createHarness();
    await messagesAwaitingRetry(h, 1);
    const sweep = new ProcessDueRetries({ finder: h.messages, processMessage: h.processMessage, clock: h.clock });
    expect(await sweep.execute({ limit: 100 })).toEqual({ found: 0, outcomes: {}, failures: [] });
  });

  it('takes at most the given number of messages per sweep', async () => {
    const h = createHarness();
    await messagesAwaitingRetry(h, 3);
    h.clock.advance(1_000);
    const sweep = new ProcessDueRetries({ finder: h.messages, processMessage: h.processMessage, clock: h.clock });
    expect((await sweep.execute({ limit: 2 })).found).toBe(2);
  });

  it('keeps going when one run throws, and reports it', async () => {
    const h = createHarness();
    const [first, second] = await messagesAwaitingRetry(h, 2);
    h.clock.advance(1_000);
    const failing: Pick<ProcessMessage, 'execute'> = {
      execute: (ref) => (ref.messageId === first ? Promise.reject(new Error('pg down')) : h.processMessage.execute(ref)),
    };
    const report = await new ProcessDueRetries({ finder: h.messages, processMessage: failing, clock: h.clock }).execute({ limit: 10 });
    expect(report.outcomes).toEqual({ 'retry-scheduled': 1 });
    expect(report.failures.map((f) => [f.ref.messageId, (f.error as Error).message])).toEqual([[first, 'pg down']]);
    expect(second === undefined ? null : h.messages.get(second)?.pipelineAttempts).toBe(2);
  });

  it('counts a message that vanished in between as not found', async () => {
    const h = createHarness();
    const finder = { findDue: () => Promise.resolve([{ tenantId: TENANT, messageId: 'gone' }]) };
    const report = await new ProcessDueRetries({ finder, processMessage: h.processMessage, clock: h.clock }).execute({ limit: 10 });
    expect(report.outcomes).toEqual({ 'not-found': 1 });
  });
});
