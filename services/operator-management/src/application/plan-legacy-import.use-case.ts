import { err, ok, type Result } from '@sms/kernel';
import type { FieldIssue } from '../domain/field-issue.js';
import { parseLegacyExport, type LegacyFormat } from '../domain/legacy-export.js';
import { planLegacyImport, type LegacyPlanEntry } from '../domain/legacy-import-plan.js';
import type { OpsErrorOf } from '../domain/operator-management-errors.js';
import { liveOperators } from './live-operators.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';

export interface LegacyImportCommand {
  /** The export's text (CSV or JSON, docs/legacy-import.md). */
  readonly content: string;
  /** Guessed from the content when absent (`{` or `[` first: JSON). */
  readonly format?: LegacyFormat;
}

/** One operator of the plan, without any password. */
export interface LegacyPlanEntryView {
  readonly code: string | null;
  readonly source: string;
  readonly action: LegacyPlanEntry['action'];
  readonly operatorId: string | null;
  /** What would change: `operator` (created), field names, `connections[+host:port/system_id]`, `connections[<id>].authentication`. */
  readonly changes: readonly string[];
  readonly issues: readonly FieldIssue[];
}

export interface LegacyImportSummary {
  readonly create: number;
  readonly update: number;
  readonly unchanged: number;
  readonly invalid: number;
}

export interface LegacyPlanView {
  readonly summary: LegacyImportSummary;
  readonly entries: readonly LegacyPlanEntryView[];
}

export type LegacyImportError = OpsErrorOf<'OPS.LEGACY_EXPORT_MALFORMED'>;

export function toPlanEntryView(entry: LegacyPlanEntry): LegacyPlanEntryView {
  switch (entry.action) {
    case 'create':
      return { code: entry.code, source: entry.source, action: entry.action, operatorId: null, changes: entry.changes, issues: [] };
    case 'update':
      return { code: entry.code, source: entry.source, action: entry.action, operatorId: entry.operatorId, changes: entry.changes, issues: [] };
    case 'unchanged':
      return { code: entry.code, source: entry.source, action: entry.action, operatorId: entry.operatorId, changes: [], issues: [] };
    case 'invalid':
      return { code: entry.code, source: entry.source, action: entry.action, operatorId: null, changes: [], issues: entry.issues };
  }
}

export const summarize = (entries: readonly LegacyPlanEntry[]): LegacyImportSummary => ({
  create: entries.filter((e) => e.action === 'create').length,
  update: entries.filter((e) => e.action === 'update').length,
  unchanged: entries.filter((e) => e.action === 'unchanged').length,
  invalid: entries.filter((e) => e.action === 'invalid').length,
});

/** Reads an export and computes the plan against the current operators, internal form (with passwords). */
export async function computeLegacyPlan(
  operators: OperatorRepository,
  command: LegacyImportCommand,
): Promise<Result<LegacyPlanEntry[], LegacyImportError>> {
  const parsed = parseLegacyExport(command.content, command.format);
  if (!parsed.ok) return err(parsed.error);
  return ok(planLegacyImport(parsed.value, await liveOperators(operators)));
}

/**
 * The dry run of a legacy import: what would be created, updated or left unchanged, and which
 * records are invalid and why. Writes nothing, reads no secret.
 */
export class PlanLegacyImport {
  constructor(private readonly deps: { readonly operators: OperatorRepository }) {}

  async execute(command: LegacyImportCommand): Promise<Result<LegacyPlanView, LegacyImportError>> {
    const plan = await computeLegacyPlan(this.deps.operators, command);
    if (!plan.ok) return plan;
    return ok({ summary: summarize(plan.value), entries: plan.value.map(toPlanEntryView) });
  }
}
