/** The logging the adapters need; a pino logger fits. */
export interface CacheLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentCacheLogger: CacheLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
