import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { parseExportManifest, RunRegulatorExport } from '../../../src/index.js';
import type {
  Actor,
  ExportFileEntry,
  RegulatorExportArchive,
  RegulatorExportLedger,
  RegulatorExportRecord,
  RegulatorExportSigner,
  RegulatorExportSource,
} from '../../../src/index.js';

const COMPLIANCE: Actor = { role: 'compliance', id: 'c-1' };

/** An empty inventory and history: the use case's own logic is what these tests look at. */
const emptySource: RegulatorExportSource = { inventoryAt: () => Promise.resolve([]), historyBetween: () => Promise.resolve([]) };

class MemoryArchive implements RegulatorExportArchive {
  readonly objects = new Map<string, Uint8Array>();
  get(key: string) {
    return Promise.resolve(this.objects.get(key) ?? null);
  }
  putOnce(key: string, bytes: Uint8Array) {
    if (this.objects.has(key)) return Promise.resolve('exists' as const);
    this.objects.set(key, bytes);
    return Promise.resolve('written' as const);
  }
}

class MemoryLedger implements RegulatorExportLedger {
  readonly rows = new Map<string, RegulatorExportRecord>();
  private readonly held = new Set<string>();
  async withMonthLock<T>(month: string, work: () => Promise<T>) {
    if (this.held.has(month)) return { acquired: false as const };
    this.held.add(month);
    try {
      return { acquired: true as const, value: await work() };
    } finally {
      this.held.delete(month);
    }
  }
  find(month: string) {
    return Promise.resolve(this.rows.get(month) ?? null);
  }
  begin(input: { month: string; at: Date; requestedBy: string; retainUntil: Date }) {
    const old = this.rows.get(input.month);
    const row: RegulatorExportRecord = {
      month: input.month,
      status: 'running',
      attempts: (old?.attempts ?? 0) + 1,
      startedAt: old?.startedAt ?? input.at,
      lastAttemptAt: input.at,
      completedAt: null,
      requestedBy: input.requestedBy,
      retainUntil: old?.retainUntil ?? input.retainUntil,
      manifestKey: null,
      manifestSha256: null,
      signatureKeyId: null,
      files: [],
      superseded: [],
      lastError: null,
    };
    this.rows.set(input.month, row);
    return Promise.resolve(row);
  }
  complete(input: { month: string; at: Date; manifestKey: string; manifestSha256: string; signatureKeyId: string; files: readonly ExportFileEntry[]; superseded: readonly { key: string; sha256: string }[] }) {
    const row = this.rows.get(input.month);
    if (row === undefined) throw new Error('no row');
    const done: RegulatorExportRecord = { ...row, status: 'completed', completedAt: input.at, manifestKey: input.manifestKey, manifestSha256: input.manifestSha256, signatureKeyId: input.signatureKeyId, files: input.files, superseded: input.superseded };
    this.rows.set(input.month, done);
    return Promise.resolve(done);
  }
  fail(input: { month: string; error: string }) {
    const row = this.rows.get(input.month);
    if (row !== undefined) this.rows.set(input.month, { ...row, status: 'failed', lastError: input.error });
    return Promise.resolve();
  }
}

/** A signer whose key version moves to `v2` after `rotateAfter` signatures (a Vault Transit rotation). */
const rotatingSigner = (rotateAfter: number): RegulatorExportSigner & { calls: number } => {
  const signer = {
    calls: 0,
    sign() {
      signer.calls += 1;
      const version = signer.calls > rotateAfter ? 2 : 1;
      return Promise.resolve({ keyId: `export-key:v${version}`, algorithm: 'Ed25519', signature: Buffer.from(`sig-${signer.calls}`).toString('base64') });
    },
  };
  return signer;
};

const world = (signer: RegulatorExportSigner) => {
  const archive = new MemoryArchive();
  const ledger = new MemoryLedger();
  const clock = new ManualClock('2026-11-01T02:00:00.000Z');
  return { archive, ledger, useCase: new RunRegulatorExport({ source: emptySource, ledger, archive, signer, clock }) };
};

const manifestOf = (archive: MemoryArchive) => parseExportManifest(archive.objects.get('numbering/regulator-exports/2026-10/manifest.json') ?? new Uint8Array());
const sigOf = (archive: MemoryArchive) =>
  JSON.parse(new TextDecoder().decode(archive.objects.get('numbering/regulator-exports/2026-10/manifest.json.sig'))) as { keyId: string };

describe('RunRegulatorExport', () => {
  it('names in the manifest the key that signs it, signing again when the key rotates in between', async () => {
    const signer = rotatingSigner(1);
    const { archive, useCase } = world(signer);

    const result = await useCase.execute({ actor: COMPLIANCE, month: '2026-10' });

    expect([result.ok, manifestOf(archive)?.signature.keyId, sigOf(archive).keyId, signer.calls]).toEqual([true, 'export-key:v2', 'export-key:v2', 3]);
  });

  it('signs once more than the probe when the key does not rotate', async () => {
    const signer = rotatingSigner(Number.POSITIVE_INFINITY);
    const { archive, useCase } = world(signer);

    await useCase.execute({ actor: COMPLIANCE, month: '2026-10' });

    expect([manifestOf(archive)?.signature.keyId, signer.calls]).toEqual(['export-key:v1', 2]);
  });

  it('records a failed attempt with the error and writes no manifest when the signer is down', async () => {
    const down: RegulatorExportSigner = { sign: () => Promise.reject(new Error('vault sealed')) };
    const { archive, ledger, useCase } = world(down);

    await expect(useCase.execute({ actor: COMPLIANCE, month: '2026-10' })).rejects.toThrow('vault sealed');

    expect([ledger.rows.get('2026-10')?.status, ledger.rows.get('2026-10')?.lastError, manifestOf(archive)]).toEqual(['failed', 'Error: vault sealed', null]);
  });

  it('only completes the ledger row when a crashed run had written every object, writing nothing', async () => {
    const { archive, ledger, useCase } = world(rotatingSigner(Number.POSITIVE_INFINITY));
    const complete = ledger.complete.bind(ledger);
    ledger.complete = () => Promise.reject(new Error('connection terminated'));
    await expect(useCase.execute({ actor: COMPLIANCE, month: '2026-10' })).rejects.toThrow('connection terminated');
    const before = new Map(archive.objects);
    ledger.complete = complete;

    const result = await useCase.execute({ actor: COMPLIANCE, month: '2026-10' });

    expect(result.ok ? [result.value.outcome, result.value.export.status, result.value.export.attempts] : result.error.code).toEqual(['already_exported', 'completed', 2]);
    expect(archive.objects).toEqual(before);
  });

  it('answers EXPORT_IN_PROGRESS while another run holds the month', async () => {
    const { ledger, useCase } = world(rotatingSigner(Number.POSITIVE_INFINITY));

    const inner = await ledger.withMonthLock('2026-10', () => useCase.execute({ actor: COMPLIANCE, month: '2026-10' }));

    expect(inner.acquired && !inner.value.ok ? inner.value.error.code : 'ran').toBe('NUMBERING.EXPORT_IN_PROGRESS');
  });
});
