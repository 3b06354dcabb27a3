import { createLogger } from '@sms/logging';
import type { Logger } from '@sms/logging';
import type { CreateHttpAppOptions, HttpApp } from '@sms/http';
import { createHttpApp } from '@sms/http';

/** A logger whose JSON lines are collected, to assert on real log output. */
export function collectingLogger(): { logger: Logger; lines: string[]; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test-service', level: 'info', destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

export async function testApp(overrides: Partial<CreateHttpAppOptions> = {}): Promise<HttpApp> {
  return createHttpApp({ service: 'test-service', version: '1.2.3', logger: collectingLogger().logger, ...overrides });
}
