import { err, ok } from '@sms/kernel';
import type { IdGenerator, Result } from '@sms/kernel';
import type { AuditEntry } from '../domain/audit-chain.js';
import { blockContains, isContractActive, isOperatorCode } from '../domain/catalog.js';
import type { InventoryPool, NumberBlock, OperatorContract } from '../domain/catalog.js';
import { newInventoryNumber } from '../domain/number.js';
import type { NumberRecord } from '../domain/number.js';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import type { NumberingPolicy } from '../domain/numbering-policy.js';
import { parseOperatorCsv } from '../domain/operator-csv.js';
import type { CsvRowError, OperatorCsvRow } from '../domain/operator-csv.js';
import { sha256Hex, verifyOperatorSignature } from '../domain/operator-signature.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { auditActorOf, appendAuditEntries } from './audit-trail.js';
import { envelopeOf } from './event-envelopes.js';
import type { CommandDeps } from './idempotent-command.js';
import type { CatalogRepository } from './ports/catalog.repository.port.js';
import type { ImportLedger, ImportRecord } from './ports/import-ledger.port.js';
import type { NumberRepository } from './ports/number.repository.port.js';
import type { OperatorKeyring } from './ports/operator-keyring.port.js';

export interface ImportOperatorInventoryInput {
  readonly actor: Actor;
  /** The operator whose key must have signed the file; every row must name this operator. */
  readonly operatorCode: string;
  /** The exact bytes of the CSV file, as uploaded. */
  readonly file: Uint8Array;
  /** The detached signature's raw bytes (the HTTP edge decodes base64); null when none was sent. */
  readonly signature: Uint8Array | null;
}

export type ImportOperatorInventoryOutput =
  | {
      readonly status: 'imported';
      readonly importId: string;
      readonly fileSha256: string;
      readonly keyId: string;
      readonly rowCount: number;
      readonly msisdnCount: number;
      readonly shortCodeCount: number;
    }
  /** The same file (same SHA-256) was imported before: nothing changed. */
  | { readonly status: 'already_imported'; readonly importId: string; readonly fileSha256: string; readonly importedAt: string };

export interface ImportOperatorInventoryDeps {
  readonly unitOfWork: CommandDeps['unitOfWork'];
  readonly clock: CommandDeps['clock'];
  readonly ids: IdGenerator;
  readonly policy: NumberingPolicy;
  readonly keyring: OperatorKeyring;
  /** Read outside the transaction: the ledger for the fast duplicate check, the others for row checks. */
  readonly imports: ImportLedger;
  readonly numbers: NumberRepository;
  readonly catalog: CatalogRepository;
}

const rejected = (errors: readonly CsvRowError[]): NumberingError =>
  numberingError('NUMBERING.IMPORT_REJECTED', `${errors.length} problem(s) in the file; nothing was imported`, {
    errorCount: errors.length,
    errors,
  });

/**
 * ImportOperatorInventory: loads an operator's signed inventory file. Order matters: the signature is
 * checked before a single byte is parsed; then every row is checked and every problem reported by line;
 * then all rows are inserted in one transaction with one audit row per number, or none is. The file's
 * SHA-256 is recorded, so importing the same file again changes nothing. Natural idempotency by content
 * replaces an idempotency key here.
 */
export class ImportOperatorInventory {
  constructor(private readonly deps: ImportOperatorInventoryDeps) {}

  async execute(input: ImportOperatorInventoryInput): Promise<Result<ImportOperatorInventoryOutput, NumberingError>> {
    const allowed = authorize(input.actor, 'inventory.import');
    if (!allowed.ok) return allowed;
    if (!isOperatorCode(input.operatorCode))
      return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'operatorCode must be an upper-case operator code', { field: 'operatorCode' }));
    const { maxBytes, maxRows } = this.deps.policy.importLimits;
    if (input.file.length > maxBytes)
      return err(numberingError('NUMBERING.IMPORT_TOO_LARGE', `the file exceeds ${maxBytes} bytes`, { maxBytes }));
    if (input.signature === null || input.signature.length === 0)
      return err(numberingError('NUMBERING.IMPORT_SIGNATURE_MISSING', 'the detached signature of the file is missing'));

    const keys = await this.deps.keyring.publicKeysFor(input.operatorCode);
    if (keys.length === 0)
      return err(numberingError('NUMBERING.OPERATOR_KEY_MISSING', `no signing key is configured for ${input.operatorCode}`));
    const check = verifyOperatorSignature(input.file, input.signature, keys);
    if (!check.verified)
      return err(numberingError('NUMBERING.IMPORT_SIGNATURE_INVALID', `the signature does not verify with any key of ${input.operatorCode}`));

    const fileSha256 = sha256Hex(input.file);
    const previous = await this.deps.imports.findBySha256(fileSha256);
    if (previous !== null) return ok(alreadyImported(previous));

    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input.file);
    } catch {
      return err(rejected([{ line: 0, column: null, message: 'the file is not valid UTF-8' }]));
    }
    const parsed = parseOperatorCsv(text, { operatorCode: input.operatorCode, maxRows });
    if (parsed.kind === 'too_many_rows')
      return err(numberingError('NUMBERING.IMPORT_TOO_LARGE', `the file has ${parsed.rowCount} rows; at most ${maxRows}`, { maxRows }));

    const now = this.deps.clock.now();
    const errors = [...parsed.errors];
    const placed = await this.placeRows(parsed.rows, now, errors);
    if (errors.length > 0) return err(rejected(errors.sort((a, b) => a.line - b.line)));

    const importId = this.deps.ids.next();
    const numbers = placed.map(({ row, contract, block, pool }) =>
      newInventoryNumber(
        this.deps.ids.next(),
        {
          kind: row.number.kind,
          value: row.number.value,
          operatorCode: row.operatorCode,
          contractId: contract.id,
          blockId: block.id,
          poolId: pool.id,
          tier: row.tier,
        },
        now,
      ),
    );
    const record: ImportRecord = {
      id: importId,
      operatorCode: input.operatorCode,
      fileSha256,
      keyId: check.keyId,
      rowCount: numbers.length,
      msisdnCount: numbers.filter((n) => n.kind === 'msisdn').length,
      shortCodeCount: numbers.filter((n) => n.kind === 'short_code').length,
      importedAt: now,
      importedBy: `${input.actor.role}:${input.actor.id}`,
    };

    return this.deps.unitOfWork.run<ImportOperatorInventoryOutput, NumberingError>(async (tx) => {
      if ((await tx.imports.record(record)) === 'duplicate') {
        const first = await tx.imports.findBySha256(fileSha256);
        if (first === null) throw new Error('import ledger reported a duplicate it cannot find');
        return ok(alreadyImported(first));
      }
      const inserted = await tx.numbers.insertNew(numbers);
      if (inserted.outcome === 'duplicate')
        return err(
          numberingError('NUMBERING.CONFLICT', 'another import added some of these numbers meanwhile; nothing was imported', {
            numbers: inserted.values,
          }),
        );
      await appendAuditEntries(tx.audit, [
        ...numbers.map((n) => this.numberAudit(input.actor, n, importId, now)),
        this.importAudit(input.actor, record),
      ]);
      await tx.outbox.add([
        envelopeOf(
          {
            type: 'numbering.import.completed.v1',
            data: {
              importId,
              operatorCode: record.operatorCode,
              fileSha256,
              rowCount: record.rowCount,
              msisdnCount: record.msisdnCount,
              shortCodeCount: record.shortCodeCount,
              importedAt: now.toISOString(),
            },
          },
          { type: 'import', id: importId },
          this.deps.ids,
          now,
        ),
      ]);
      return ok({
        status: 'imported',
        importId,
        fileSha256,
        keyId: check.keyId,
        rowCount: record.rowCount,
        msisdnCount: record.msisdnCount,
        shortCodeCount: record.shortCodeCount,
      });
    });
  }

  /** Resolves each row's contract, block and pool, adding an error for every row that does not fit. */
  private async placeRows(
    rows: readonly OperatorCsvRow[],
    now: Date,
    errors: CsvRowError[],
  ): Promise<{ row: OperatorCsvRow; contract: OperatorContract; block: NumberBlock; pool: InventoryPool }[]> {
    const contracts = new Map<string, OperatorContract | null>();
    const blocks = new Map<string, NumberBlock | null>();
    const pools = new Map<string, InventoryPool | null>();
    const memo = async <T>(cache: Map<string, T | null>, key: string, load: () => Promise<T | null>): Promise<T | null> => {
      if (!cache.has(key)) cache.set(key, await load());
      return cache.get(key) ?? null;
    };
    const existing = await this.deps.numbers.findExistingValues(rows.map((r) => r.number.value));
    const placed = [];
    for (const row of rows) {
      const before = errors.length;
      const contract = await memo(contracts, row.contractRef, () =>
        this.deps.catalog.findContractByReference(row.operatorCode, row.contractRef),
      );
      const block = await memo(blocks, row.blockRef, () => this.deps.catalog.findBlockByReference(row.operatorCode, row.blockRef));
      const pool = await memo(pools, row.poolRef, () => this.deps.catalog.findPoolByReference(row.poolRef));
      if (contract === null) errors.push({ line: row.line, column: 'contract_ref', message: 'no such contract for this operator' });
      else if (!isContractActive(contract, now))
        errors.push({ line: row.line, column: 'contract_ref', message: 'the contract is not in force' });
      if (block === null) errors.push({ line: row.line, column: 'block_ref', message: 'no such block for this operator' });
      else {
        if (contract !== null && block.contractId !== contract.id)
          errors.push({ line: row.line, column: 'block_ref', message: 'the block belongs to another contract' });
        if (!blockContains(block, row.number.kind, row.number.value))
          errors.push({ line: row.line, column: 'number', message: `the number is outside block ${block.reference}` });
      }
      if (pool === null) errors.push({ line: row.line, column: 'pool_ref', message: 'no such inventory pool' });
      else if (pool.kind !== null && pool.kind !== row.number.kind)
        errors.push({ line: row.line, column: 'pool_ref', message: `the pool holds only ${pool.kind} numbers` });
      if (existing.has(row.number.value))
        errors.push({ line: row.line, column: 'number', message: 'the number is already in the inventory' });
      if (errors.length === before && contract !== null && block !== null && pool !== null) placed.push({ row, contract, block, pool });
    }
    return placed;
  }

  private numberAudit(actor: Actor, number: NumberRecord, importId: string, now: Date): AuditEntry {
    return {
      id: this.deps.ids.next(),
      occurredAt: now.toISOString(),
      actor: auditActorOf(actor),
      action: 'number.import',
      aggregateType: 'number',
      aggregateId: number.id,
      tenantId: null,
      fromState: null,
      toState: 'available',
      aggregateVersion: number.version,
      idempotencyKey: null,
      details: { number: number.value, kind: number.kind, tier: number.tier, importId },
    };
  }

  private importAudit(actor: Actor, record: ImportRecord): AuditEntry {
    return {
      id: this.deps.ids.next(),
      occurredAt: record.importedAt.toISOString(),
      actor: auditActorOf(actor),
      action: 'inventory.import',
      aggregateType: 'import',
      aggregateId: record.id,
      tenantId: null,
      fromState: null,
      toState: 'imported',
      aggregateVersion: null,
      idempotencyKey: null,
      details: {
        operatorCode: record.operatorCode,
        fileSha256: record.fileSha256,
        keyId: record.keyId,
        rowCount: record.rowCount,
        msisdnCount: record.msisdnCount,
        shortCodeCount: record.shortCodeCount,
      },
    };
  }
}

const alreadyImported = (record: ImportRecord): ImportOperatorInventoryOutput => ({
  status: 'already_imported',
  importId: record.id,
  fileSha256: record.fileSha256,
  importedAt: record.importedAt.toISOString(),
});
