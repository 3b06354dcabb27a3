import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { parseExportMonth } from '../domain/regulator-export.js';
import type { RegulatorExportLedger, RegulatorExportRecord } from './ports/regulator-export.port.js';

export interface GetRegulatorExportInput {
  readonly actor: Actor;
  /** `YYYY-MM`. */
  readonly month: string;
}

/** GetRegulatorExport: the ledger row of one month's export (status, attempts, files with their hashes). */
export class GetRegulatorExport {
  constructor(private readonly deps: { readonly ledger: RegulatorExportLedger }) {}

  async execute(input: GetRegulatorExportInput): Promise<Result<RegulatorExportRecord, NumberingError>> {
    const allowed = authorize(input.actor, 'export.read');
    if (!allowed.ok) return allowed;
    const month = parseExportMonth(input.month);
    if (month === null) return err(numberingError('NUMBERING.INVALID_ARGUMENT', 'month must be YYYY-MM (2000-01 or later)', { field: 'month' }));
    const record = await this.deps.ledger.find(month.month);
    return record === null ? err(numberingError('NUMBERING.EXPORT_NOT_FOUND', `no export of ${month.month} has been started`, { month: month.month })) : ok(record);
  }
}
