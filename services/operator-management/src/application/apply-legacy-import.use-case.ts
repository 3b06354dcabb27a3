import { ok, type Result } from '@sms/kernel';
import type { CreateEntry, LegacyPlanEntry, UpdateEntry } from '../domain/legacy-import-plan.js';
import type { OpsError } from '../domain/operator-management-errors.js';
import type { AddConnection } from './add-connection.use-case.js';
import type { CreateOperator } from './create-operator.use-case.js';
import {
  computeLegacyPlan,
  summarize,
  toPlanEntryView,
  type LegacyImportCommand,
  type LegacyImportError,
  type LegacyImportSummary,
  type LegacyPlanEntryView,
} from './plan-legacy-import.use-case.js';
import type { OperatorRepository } from './ports/operator.repository.port.js';
import type { SetConnectionPassword } from './set-connection-password.use-case.js';
import type { UpdateConnection } from './update-connection.use-case.js';
import type { UpdateOperator } from './update-operator.use-case.js';

export interface LegacyApplyEntryView extends LegacyPlanEntryView {
  /** `skipped` for unchanged and invalid entries. */
  readonly outcome: 'applied' | 'skipped' | 'failed';
  /** Why a `failed` entry failed (its error code and detail); null otherwise. */
  readonly error: { readonly code: OpsError['code']; readonly detail: string } | null;
}

export interface LegacyApplyReport {
  readonly summary: LegacyImportSummary & { readonly failed: number };
  readonly entries: readonly LegacyApplyEntryView[];
}

type Step = Promise<Result<unknown, OpsError>>;

/**
 * Applies a legacy import: re-plans against the current operators (never trusts an old plan),
 * then creates and updates through the same use cases as the API, so the same rules, events and
 * credential write path apply; passwords from the export go to the secret store only. An entry
 * that fails is reported and the others go on; running the import again finishes what is left
 * and leaves the rest unchanged.
 */
export class ApplyLegacyImport {
  constructor(
    private readonly deps: {
      readonly operators: OperatorRepository;
      readonly createOperator: CreateOperator;
      readonly updateOperator: UpdateOperator;
      readonly addConnection: AddConnection;
      readonly updateConnection: UpdateConnection;
      readonly setConnectionPassword: SetConnectionPassword;
    },
  ) {}

  async execute(command: LegacyImportCommand): Promise<Result<LegacyApplyReport, LegacyImportError>> {
    const plan = await computeLegacyPlan(this.deps.operators, command);
    if (!plan.ok) return plan;
    const entries: LegacyApplyEntryView[] = [];
    for (const entry of plan.value) entries.push(await this.applyEntry(entry));
    return ok({
      summary: { ...summarize(plan.value), failed: entries.filter((e) => e.outcome === 'failed').length },
      entries,
    });
  }

  private async applyEntry(entry: LegacyPlanEntry): Promise<LegacyApplyEntryView> {
    const view = toPlanEntryView(entry);
    if (entry.action === 'unchanged' || entry.action === 'invalid') return { ...view, outcome: 'skipped', error: null };
    const failure = entry.action === 'create' ? await this.create(entry) : await this.update(entry);
    if (failure) return { ...view, outcome: 'failed', error: { code: failure.code, detail: failure.detail } };
    return { ...view, outcome: 'applied', error: null };
  }

  private async create(entry: CreateEntry): Promise<OpsError | null> {
    const created = await this.deps.createOperator.execute({
      ...entry.draft,
      connections: entry.draft.connections.map((c, i) => ({ ...c, password: entry.passwords[i] ?? null })),
    });
    return created.ok ? null : created.error;
  }

  /** Runs the steps in order and stops at the first failure. */
  private async update(entry: UpdateEntry): Promise<OpsError | null> {
    const { operatorId } = entry;
    const steps: (() => Step)[] = [];
    if (Object.keys(entry.patch).length > 0) {
      steps.push(() => this.deps.updateOperator.execute({ operatorId, expectedVersion: entry.expectedVersion, patch: entry.patch }));
    }
    for (const u of entry.connectionUpdates) {
      steps.push(() => this.deps.updateConnection.execute({ operatorId, connectionId: u.connectionId, patch: u.patch }));
    }
    for (const c of entry.connectionsToAdd) {
      steps.push(() => this.deps.addConnection.execute({ operatorId, settings: c.settings, password: c.password }));
    }
    for (const p of entry.passwordsToStore) {
      steps.push(() => this.deps.setConnectionPassword.execute({ operatorId, connectionId: p.connectionId, password: p.password }));
    }
    for (const step of steps) {
      const result = await step();
      if (!result.ok) return result.error;
    }
    return null;
  }
}
