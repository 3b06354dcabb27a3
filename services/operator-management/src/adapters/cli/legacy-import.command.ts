import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LegacyFormat } from '../../domain/legacy-export.js';
import type { ApplyLegacyImport, LegacyApplyReport } from '../../application/apply-legacy-import.use-case.js';
import type { LegacyPlanEntryView, LegacyPlanView, PlanLegacyImport } from '../../application/plan-legacy-import.use-case.js';

export const LEGACY_IMPORT_USAGE =
  'usage: npm run legacy-import -w services/operator-management -- --file <export.csv|export.json> [--apply] [--format csv|json] [--json]';

/** Exit statuses: 0 done, 1 something was not (or would not be) imported, 64 bad usage (sysexits EX_USAGE). */
export const EXIT = { ok: 0, incomplete: 1, usage: 64 } as const;

export interface LegacyImportOptions {
  /** Absolute path of the export file. */
  readonly file: string;
  readonly apply: boolean;
  readonly format?: LegacyFormat;
  /** Print the plan or report as one JSON document instead of lines. */
  readonly json: boolean;
}

export interface LegacyImportIo {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): Promise<string>;
}

/**
 * Parses the arguments; a relative `--file` is taken from `cwd` (npm's `INIT_CWD`, where the
 * user typed the command, not the workspace folder npm switches to).
 */
export function parseLegacyImportArgs(argv: readonly string[], cwd: string): LegacyImportOptions | { readonly usageError: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        file: { type: 'string' },
        apply: { type: 'boolean', default: false },
        format: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { usageError: error instanceof Error ? error.message : String(error) };
  }
  if (values.file === undefined || values.file.trim() === '') return { usageError: '--file is required' };
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'json') return { usageError: '--format must be csv or json' };
  return {
    file: isAbsolute(values.file) ? values.file : resolve(cwd, values.file),
    apply: values.apply,
    json: values.json,
    ...(values.format !== undefined ? { format: values.format } : {}),
  };
}

const pad = (text: string, width: number): string => (text.length >= width ? `${text} ` : text.padEnd(width));

function entryLine(entry: LegacyPlanEntryView, outcome?: string): string {
  const what =
    entry.action === 'invalid'
      ? entry.issues.map((i) => `${i.field}: ${i.message}`).join('; ')
      : entry.changes.length > 0
        ? entry.changes.join(', ')
        : '';
  return `${outcome ? pad(outcome, 9) : ''}${pad(entry.action, 10)}${pad(entry.code ?? '(no code)', 14)}${pad(`(${entry.source})`, 16)}${what}`.trimEnd();
}

const summaryLine = (summary: LegacyPlanView['summary'] & { failed?: number }): string =>
  `summary: ${summary.create} create, ${summary.update} update, ${summary.unchanged} unchanged, ${summary.invalid} invalid` +
  (summary.failed === undefined ? '' : `, ${summary.failed} failed`);

/**
 * The legacy import as a command (docs/legacy-import.md): a dry run by default, printing the plan;
 * with `--apply`, the import itself (re-planned, through the API's use cases), printing what
 * happened to each operator. Never prints a password: the plan and report views have none.
 */
export async function runLegacyImport(
  options: LegacyImportOptions,
  io: LegacyImportIo,
  useCases: { readonly plan: PlanLegacyImport; readonly apply: ApplyLegacyImport },
): Promise<number> {
  let content: string;
  try {
    content = await io.readFile(options.file);
  } catch (error) {
    io.err(`cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  }
  const command = { content, ...(options.format ? { format: options.format } : {}) };

  if (!options.apply) {
    const plan = await useCases.plan.execute(command);
    if (!plan.ok) return malformed(io, plan.error);
    if (options.json) io.out(JSON.stringify({ mode: 'dry-run', ...plan.value }, null, 2));
    else {
      io.out('DRY RUN: nothing was written. Run again with --apply to import.');
      for (const entry of plan.value.entries) io.out(entryLine(entry));
      io.out(summaryLine(plan.value.summary));
    }
    return plan.value.summary.invalid > 0 ? EXIT.incomplete : EXIT.ok;
  }

  const report = await useCases.apply.execute(command);
  if (!report.ok) return malformed(io, report.error);
  printReport(io, options, report.value);
  return report.value.summary.invalid > 0 || report.value.summary.failed > 0 ? EXIT.incomplete : EXIT.ok;
}

function printReport(io: LegacyImportIo, options: LegacyImportOptions, report: LegacyApplyReport): void {
  if (options.json) {
    io.out(JSON.stringify({ mode: 'apply', ...report }, null, 2));
    return;
  }
  io.out('APPLY: the import was run.');
  for (const entry of report.entries) {
    io.out(entryLine(entry, entry.outcome) + (entry.error ? ` — ${entry.error.code}: ${entry.error.detail}` : ''));
  }
  io.out(summaryLine(report.summary));
}

function malformed(io: LegacyImportIo, error: { readonly detail: string; readonly issues: readonly { field: string; message: string }[] }): number {
  io.err(`the export cannot be read (OPS.LEGACY_EXPORT_MALFORMED): ${error.detail}`);
  return EXIT.incomplete;
}
