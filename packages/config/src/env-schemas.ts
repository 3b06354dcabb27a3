import { z } from 'zod';

/**
 * What `loadConfig` says about a variable when it is wrong: the phrase after "expected", whether
 * its value may be echoed, and another variable that makes it required.
 */
export interface EnvFieldMeta {
  readonly expected: string;
  readonly secret?: boolean;
  readonly requiredWith?: string;
}

/** Where the building blocks below record their `EnvFieldMeta`; `loadConfig` reads it from here. */
export const envFieldRegistry = z.registry<EnvFieldMeta>();

/** Attaches an "expected …" phrase (and optional flags) to any schema, for use in error messages. */
export function describeEnv<S extends z.ZodType>(schema: S, meta: EnvFieldMeta): S {
  envFieldRegistry.add(schema, { ...envFieldRegistry.get(schema), ...meta });
  return schema;
}

/**
 * Marks a variable as required whenever `other` is set (e.g. VAULT_TOKEN with VAULT_ADDR). Apply it
 * to the inner schema, before `.optional()`.
 */
export function requiredWith<S extends z.ZodType>(schema: S, other: string): S {
  const existing = envFieldRegistry.get(schema);
  envFieldRegistry.add(schema, { expected: existing?.expected ?? 'a value', ...existing, requiredWith: other });
  return schema;
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function urlWithProtocols(protocols: readonly string[], expected: string) {
  return describeEnv(
    z.string().refine((raw) => {
      const parsed = parseUrl(raw);
      return parsed !== undefined && protocols.includes(parsed.protocol);
    }, expected),
    { expected },
  );
}

/** A `postgres://` or `postgresql://` connection URL, kept as a string for the driver. */
export const postgresUrl = () => urlWithProtocols(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');

/** A `redis://` or `rediss://` (TLS) URL. */
export const redisUrl = () => urlWithProtocols(['redis:', 'rediss:'], 'a redis:// or rediss:// URL');

/** An `http://` or `https://` URL. */
export const httpUrl = () => urlWithProtocols(['http:', 'https:'], 'an http:// or https:// URL');

/** Any absolute URL. */
export const url = () =>
  describeEnv(
    z.string().refine((raw) => parseUrl(raw) !== undefined, 'an absolute URL'),
    { expected: 'an absolute URL' },
  );

/** One `nats://` (or `tls://`) URL or a comma-separated list of them; parsed to the list of servers. */
export const natsServers = () => {
  const expected = 'a nats:// URL or a comma-separated list of them';
  return describeEnv(
    z
      .string()
      .transform((raw) => raw.split(',').map((part) => part.trim()))
      .refine(
        (servers) =>
          servers.every((server) => {
            const parsed = parseUrl(server);
            return parsed !== undefined && (parsed.protocol === 'nats:' || parsed.protocol === 'tls:');
          }),
        expected,
      ),
    { expected },
  );
};

/** An integer within bounds, parsed from its decimal text. */
export const integer = (bounds: { min?: number; max?: number } = {}) => {
  const { min, max } = bounds;
  const range =
    min !== undefined && max !== undefined
      ? ` ${min}-${max}`
      : min !== undefined
        ? ` >= ${min}`
        : max !== undefined
          ? ` <= ${max}`
          : '';
  const expected = `an integer${range}`;
  return describeEnv(
    z
      .string()
      .regex(/^-?\d+$/, expected)
      .transform(Number)
      .refine((n) => Number.isSafeInteger(n) && (min === undefined || n >= min) && (max === undefined || n <= max), expected),
    { expected },
  );
};

/** A TCP port, 1-65535. */
export const port = () => integer({ min: 1, max: 65535 });

/** A boolean flag: `true`, `false`, `1` or `0` (any letter case); anything else is refused, naming the variable. */
export const booleanFlag = () => {
  const expected = 'a boolean flag (true, false, 1 or 0)';
  return describeEnv(
    z
      .string()
      .transform((raw) => raw.toLowerCase())
      .refine((raw) => ['true', 'false', '1', '0'].includes(raw), expected)
      .transform((raw) => raw === 'true' || raw === '1'),
    { expected },
  );
};

/** One of a fixed list of words. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  describeEnv(z.enum(values), { expected: `one of ${values.join(', ')}` });

/** Any non-empty text; `expected` names what it is for the error message. */
export const nonEmptyString = (expected = 'a non-empty value') => describeEnv(z.string().min(1), { expected });

/** A secret (token, password): required to be non-empty, and never echoed in error messages. */
export const secretString = (expected = 'a non-empty secret') =>
  describeEnv(z.string().min(1), { expected, secret: true });
