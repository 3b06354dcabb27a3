import { err, ok } from '@sms/kernel';
import type { Clock, Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { sha256Hex } from '../domain/operator-signature.js';
import { authorize, principalOf } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { CsvDocument } from '../domain/regulator-export-csv.js';
import {
  addYears,
  buildExportManifest,
  exportObjectKey,
  fileEntryOf,
  historyCells,
  HISTORY_COLUMNS,
  INVENTORY_COLUMNS,
  inventoryCells,
  manifestBytes,
  parseExportManifest,
  parseExportMonth,
  REGULATOR_EXPORT_FILES,
  REGULATOR_EXPORT_RETENTION_YEARS,
  revisionName,
  parseSignatureFile,
  signatureFileBytes,
} from '../domain/regulator-export.js';
import type { ExportFileEntry, ExportManifest, ExportMonth } from '../domain/regulator-export.js';
import type {
  RegulatorExportArchive,
  RegulatorExportLedger,
  RegulatorExportRecord,
  RegulatorExportSigner,
  RegulatorExportSource,
} from './ports/regulator-export.port.js';

export interface RunRegulatorExportDeps {
  readonly source: RegulatorExportSource;
  readonly ledger: RegulatorExportLedger;
  readonly archive: RegulatorExportArchive;
  readonly signer: RegulatorExportSigner;
  readonly clock: Clock;
  /** Years every object is retained, write-once (default 7). */
  readonly retentionYears?: number;
  /** Rows read per page (default 1000). */
  readonly pageSize?: number;
  /** Later revisions of a data file tried before giving up (default 5). */
  readonly maxRevisions?: number;
}

export interface RunRegulatorExportInput {
  readonly actor: Actor;
  /** `YYYY-MM` (UTC). */
  readonly month: string;
}

/** `exported`: this run wrote objects (a first run, or one finishing an interrupted run); `already_exported`: nothing to do. */
export interface RunRegulatorExportOutput {
  readonly outcome: 'exported' | 'already_exported';
  readonly export: RegulatorExportRecord;
}

const CSV_TYPE = 'text/csv; charset=utf-8; header=present';
const JSON_TYPE = 'application/json';
const SIGNING_ATTEMPTS = 3;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);

/**
 * RunRegulatorExport (docs/regulator-export.md): writes month M's inventory (as it stood at the end of M) and
 * lease history (every audited change of a number in M) as CSV, then the manifest naming and hashing them,
 * then its detached signature, all write-once under retention, and records the export in the ledger.
 *
 * Idempotent and resumable, under the month's lock (one run per month across replicas):
 * - a month whose ledger row is `completed` is answered from the ledger, touching nothing;
 * - the manifest is the commit point (written after the data files, with `putOnce`): when it exists, the
 *   export happened; a run that finds it only completes what is missing (the signature, the ledger row);
 * - the data files are a pure function of the month, so a rerun computes the same bytes and adopts a file an
 *   interrupted run left; a leftover with other bytes is never replaced (retention forbids it, and silently
 *   swapping content would be worse): the run writes the next revision (`inventory.r2.csv`) and the manifest
 *   lists the leftover as superseded.
 */
export class RunRegulatorExport {
  private readonly retentionYears: number;
  private readonly pageSize: number;
  private readonly maxRevisions: number;

  constructor(private readonly deps: RunRegulatorExportDeps) {
    this.retentionYears = deps.retentionYears ?? REGULATOR_EXPORT_RETENTION_YEARS;
    this.pageSize = Math.max(1, deps.pageSize ?? 1000);
    this.maxRevisions = Math.max(1, deps.maxRevisions ?? 5);
  }

  async execute(input: RunRegulatorExportInput): Promise<Result<RunRegulatorExportOutput, NumberingError>> {
    const allowed = authorize(input.actor, 'export.run');
    if (!allowed.ok) return allowed;
    const month = parseExportMonth(input.month);
    if (month === null) {
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'month must be YYYY-MM (2000-01 or later)', { field: 'month' }));
    }
    if (month.to.getTime() > this.deps.clock.now().getTime()) {
      return err(numberingError('NUMBERING.EXPORT_MONTH_NOT_ENDED', `month ${month.month} ends at ${month.to.toISOString()}`, { month: month.month }));
    }
    const locked = await this.deps.ledger.withMonthLock(month.month, () => this.exportLocked(month, input.actor));
    if (!locked.acquired) {
      return err(numberingError('NUMBERING.EXPORT_IN_PROGRESS', `another run is exporting ${month.month}`, { month: month.month }));
    }
    return ok(locked.value);
  }

  private async exportLocked(month: ExportMonth, actor: Actor): Promise<RunRegulatorExportOutput> {
    const { ledger, clock } = this.deps;
    const existing = await ledger.find(month.month);
    if (existing?.status === 'completed') return { outcome: 'already_exported', export: existing };

    const now = clock.now();
    const record = await ledger.begin({
      month: month.month,
      at: now,
      requestedBy: principalOf(actor),
      retainUntil: existing?.retainUntil ?? addYears(now, this.retentionYears),
    });
    try {
      return await this.exportAttempt(month, record);
    } catch (error) {
      await ledger
        .fail({ month: month.month, at: clock.now(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
        .catch(() => undefined);
      throw error;
    }
  }

  private async exportAttempt(month: ExportMonth, record: RegulatorExportRecord): Promise<RunRegulatorExportOutput> {
    const { archive } = this.deps;
    const manifestKey = exportObjectKey(month.month, REGULATOR_EXPORT_FILES.manifest);
    const committed = await archive.get(manifestKey);
    if (committed !== null) return this.finish(month, record, committed, false);

    const superseded: { key: string; sha256: string }[] = [];
    const inventory = await this.placeDataFile(month, REGULATOR_EXPORT_FILES.inventory, await this.inventoryCsv(month), record.retainUntil, superseded);
    const history = await this.placeDataFile(month, REGULATOR_EXPORT_FILES.history, await this.historyCsv(month), record.retainUntil, superseded);

    const { bytes, signature } = await this.signedManifest((keyId, algorithm) =>
      buildExportManifest({
        month,
        generatedAt: this.deps.clock.now(),
        files: [inventory, history],
        superseded,
        keyId,
        algorithm,
      }),
    );
    const signatureKey = exportObjectKey(month.month, REGULATOR_EXPORT_FILES.signature);
    if ((await archive.putOnce(manifestKey, bytes, { contentType: JSON_TYPE, retainUntil: record.retainUntil })) === 'exists') {
      // Another writer committed first (only possible without the month lock): theirs is the export.
      const theirs = await archive.get(manifestKey);
      if (theirs === null) throw new Error(`manifest ${manifestKey} was reported as existing but cannot be read`);
      return this.finish(month, record, theirs, true);
    }
    await archive.putOnce(signatureKey, signatureFileBytes(signature), { contentType: JSON_TYPE, retainUntil: record.retainUntil });
    return this.finish(month, record, bytes, true);
  }

  /** Completes an export whose manifest is stored: writes a missing signature, then marks the ledger row completed. */
  private async finish(month: ExportMonth, record: RegulatorExportRecord, stored: Uint8Array, wroteAlready: boolean): Promise<RunRegulatorExportOutput> {
    const manifest = parseExportManifest(stored);
    const manifestKey = exportObjectKey(month.month, REGULATOR_EXPORT_FILES.manifest);
    if (manifest === null || manifest.month !== month.month) throw new Error(`object ${manifestKey} is not a manifest of ${month.month}`);
    const signatureKey = exportObjectKey(month.month, REGULATOR_EXPORT_FILES.signature);
    let wrote = wroteAlready;
    let keyId = manifest.signature.keyId;
    const storedSignature = await this.deps.archive.get(signatureKey);
    if (storedSignature === null) {
      const signature = await this.deps.signer.sign(stored);
      keyId = signature.keyId;
      wrote = (await this.deps.archive.putOnce(signatureKey, signatureFileBytes(signature), { contentType: JSON_TYPE, retainUntil: record.retainUntil })) === 'written' || wrote;
    } else {
      // The signature file names the key version that verifies (newer than the manifest's after a rotation mid-crash).
      keyId = parseSignatureFile(storedSignature)?.keyId ?? keyId;
    }
    const completed = await this.deps.ledger.complete({
      month: month.month,
      at: this.deps.clock.now(),
      manifestKey,
      manifestSha256: sha256Hex(stored),
      signatureKeyId: keyId,
      files: manifest.files,
      superseded: manifest.superseded,
    });
    return { outcome: wrote ? 'exported' : 'already_exported', export: completed };
  }

  /**
   * The manifest's bytes and their signature. The manifest names the signing key, which only the signer
   * knows (Vault Transit picks the latest key version): a first signature tells it, and the manifest is
   * signed again if the key rotated in between.
   */
  private async signedManifest(
    build: (keyId: string, algorithm: string) => ExportManifest,
  ): Promise<{ readonly bytes: Uint8Array; readonly signature: { keyId: string; algorithm: string; signature: string } }> {
    let guess = await this.deps.signer.sign(new TextEncoder().encode('numbering regulator export: signing key probe'));
    for (let attempt = 0; attempt < SIGNING_ATTEMPTS; attempt += 1) {
      const bytes = manifestBytes(build(guess.keyId, guess.algorithm));
      const signature = await this.deps.signer.sign(bytes);
      if (signature.keyId === guess.keyId && signature.algorithm === guess.algorithm) return { bytes, signature };
      guess = signature;
    }
    throw new Error('the signing key kept changing while the manifest was signed');
  }

  /**
   * Stores a data file under its name, or adopts the object there when it holds the same bytes; when it
   * holds other bytes (left by an interrupted run of an older format or over altered data), moves on to
   * the next revision and records the leftover as superseded.
   */
  private async placeDataFile(
    month: ExportMonth,
    name: string,
    csv: { readonly bytes: Uint8Array; readonly rows: number },
    retainUntil: Date,
    superseded: { key: string; sha256: string }[],
  ): Promise<ExportFileEntry> {
    const { archive } = this.deps;
    for (let revision = 1; revision <= this.maxRevisions; revision += 1) {
      const fileName = revisionName(name, revision);
      const key = exportObjectKey(month.month, fileName);
      let stored = await archive.get(key);
      if (stored === null) {
        if ((await archive.putOnce(key, csv.bytes, { contentType: CSV_TYPE, retainUntil })) === 'written') {
          return fileEntryOf(fileName, key, CSV_TYPE, csv.rows, csv.bytes);
        }
        stored = await archive.get(key);
        if (stored === null) throw new Error(`object ${key} was reported as existing but cannot be read`);
      }
      if (sameBytes(stored, csv.bytes)) return fileEntryOf(fileName, key, CSV_TYPE, csv.rows, csv.bytes);
      superseded.push({ key, sha256: sha256Hex(stored) });
    }
    throw new Error(`${name} of ${month.month}: ${this.maxRevisions} stored revisions all differ from the computed file`);
  }

  private async inventoryCsv(month: ExportMonth): Promise<{ bytes: Uint8Array; rows: number }> {
    const csv = new CsvDocument(INVENTORY_COLUMNS);
    let after: string | null = null;
    for (;;) {
      const page = await this.deps.source.inventoryAt(month.to, after, this.pageSize);
      for (const line of page) csv.add(inventoryCells(line));
      const last = page[page.length - 1];
      if (last === undefined || page.length < this.pageSize) break;
      after = last.number;
    }
    return { bytes: csv.bytes(), rows: csv.rowCount };
  }

  private async historyCsv(month: ExportMonth): Promise<{ bytes: Uint8Array; rows: number }> {
    const csv = new CsvDocument(HISTORY_COLUMNS);
    let after = 0;
    for (;;) {
      const page = await this.deps.source.historyBetween(month.from, month.to, after, this.pageSize);
      for (const entry of page) for (const cells of historyCells(entry)) csv.add(cells);
      const last = page[page.length - 1];
      if (last === undefined || page.length < this.pageSize) break;
      after = last.seq;
    }
    return { bytes: csv.bytes(), rows: csv.rowCount };
  }
}
