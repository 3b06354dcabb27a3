import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { ConfigIssue } from './config-error.js';
import { envFieldRegistry } from './env-schemas.js';
import type { EnvFieldMeta } from './env-schemas.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** BSD sysexits EX_CONFIG: the process stopped because its configuration is wrong. */
export const EX_CONFIG = 78;

const MAX_SHOWN_LENGTH = 120;

// Zod wraps a described schema in optional/default/pipe layers; the description sits on an inner one.
function innerSchemas(schema: z.ZodType): z.ZodType[] {
  const def = schema._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
  return [def.innerType, def.in].filter((inner): inner is z.ZodType => inner !== undefined);
}

function metaOf(schema: z.ZodType | undefined, depth = 0): EnvFieldMeta | undefined {
  if (schema === undefined || depth > 8) return undefined;
  const own = envFieldRegistry.get(schema);
  if (own) return own;
  for (const inner of innerSchemas(schema)) {
    const found = metaOf(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function shapeOf(schema: z.ZodType, depth = 0): Record<string, z.ZodType> {
  if (schema instanceof z.ZodObject) return schema.shape;
  if (depth > 8) return {};
  for (const inner of innerSchemas(schema)) {
    const shape = shapeOf(inner, depth + 1);
    if (Object.keys(shape).length > 0) return shape;
  }
  return {};
}

// Shown values are quoted and shortened, and a URL's password is hidden: the message goes to logs.
function show(raw: string): string {
  const withoutPassword = raw.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/g, '$1***@');
  const shortened =
    withoutPassword.length > MAX_SHOWN_LENGTH ? `${withoutPassword.slice(0, MAX_SHOWN_LENGTH)}…` : withoutPassword;
  return JSON.stringify(shortened);
}

function describeProblem(meta: EnvFieldMeta | undefined, raw: string | undefined, zodMessage: string): string {
  if (raw === undefined) return meta ? `required, expected ${meta.expected}, not set` : 'required, not set';
  const shown = meta?.secret ? 'a value that is not shown because it is secret' : show(raw);
  return meta ? `expected ${meta.expected}, got ${shown}` : `${zodMessage}, got ${shown}`;
}

// Empty and whitespace-only values count as "not set": `FOO=` in an env file should fall back to the default.
function normalise(env: Env, shape: Record<string, z.ZodType>): Record<string, string | undefined> {
  const cleaned: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const trimmed = env[key]?.trim();
    cleaned[key] = trimmed === undefined || trimmed === '' ? undefined : trimmed;
  }
  return cleaned;
}

/**
 * Parses the environment with the service's Zod schema and returns the typed configuration.
 * Values are trimmed; empty values count as not set.
 *
 * @throws ConfigError naming every bad or missing variable and what was expected.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const shape = shapeOf(schema);
  const input = normalise(env, shape);
  const result = schema.safeParse(input);
  const issues = new Map<string, ConfigIssue>();

  if (!result.success) {
    for (const issue of result.error.issues) {
      const head = issue.path[0];
      const variable = typeof head === 'string' ? head : '(configuration)';
      if (issues.has(variable)) continue;
      const problem =
        typeof head === 'string'
          ? describeProblem(metaOf(shape[head]), input[head], issue.message)
          : issue.message;
      issues.set(variable, { variable, problem });
    }
  }

  for (const [variable, fieldSchema] of Object.entries(shape)) {
    const meta = metaOf(fieldSchema);
    if (!meta?.requiredWith || issues.has(variable)) continue;
    if (input[meta.requiredWith] !== undefined && input[variable] === undefined) {
      issues.set(variable, {
        variable,
        problem: `required when ${meta.requiredWith} is set, expected ${meta.expected}, not set`,
      });
    }
  }

  if (issues.size > 0) {
    const order = Object.keys(shape);
    const rank = (variable: string) => {
      const index = order.indexOf(variable);
      return index === -1 ? order.length : index;
    };
    throw new ConfigError([...issues.values()].sort((a, b) => rank(a.variable) - rank(b.variable)));
  }
  return (result as { data: z.output<S> }).data;
}

/**
 * `loadConfig` for a service's `main.ts`: on a ConfigError it prints the message (prefixed with the
 * service name) to stderr and exits with code 78 (EX_CONFIG), so the orchestrator shows why the
 * process did not start. Other errors are rethrown.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: Env = process.env,
  options: { service: string },
): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${options.service}: ${error.message}\n`);
    process.exit(EX_CONFIG);
  }
}
