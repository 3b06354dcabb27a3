import { performance } from 'node:perf_hooks';

/**
 * One dependency that `GET /health/ready` checks (database, broker, cache, secret store).
 * `check` resolves when the dependency answers and rejects (with a message saying why) when not.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
  /** A failing critical check makes the instance not ready (503); a non-critical one only "degraded". Default true. */
  readonly critical?: boolean;
  /** Default 2000 ms: keep it below the probe's own timeout. */
  readonly timeoutMs?: number;
}

export type DependencyStatus = 'up' | 'down' | 'degraded';

export interface DependencyReport {
  readonly name: string;
  readonly status: DependencyStatus;
  readonly critical: boolean;
  readonly duration_ms: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ok' | 'degraded' | 'down' | 'shutting_down';
  readonly checks: readonly DependencyReport[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Driver errors sometimes carry a connection URL; its password stays out of the answer.
  return message.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/g, '$1***@') || 'check failed';
}

async function runCheck(check: ReadinessCheck): Promise<DependencyReport> {
  const critical = check.critical ?? true;
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await Promise.race([
      Promise.resolve().then(() => check.check()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name: check.name, status: 'up', critical, duration_ms: elapsed() };
  } catch (error) {
    return {
      name: check.name,
      status: critical ? 'down' : 'degraded',
      critical,
      duration_ms: elapsed(),
      error: messageOf(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently, each bounded by its timeout. */
export async function checkReadiness(checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const reports = await Promise.all(checks.map(runCheck));
  const status = reports.some((r) => r.status === 'down')
    ? 'down'
    : reports.some((r) => r.status === 'degraded')
      ? 'degraded'
      : 'ok';
  return { status, checks: reports };
}
