import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { isValidRoleName, isValidTenantId } from './auth-defaults.js';
import { MAX_DEV_TOKEN_TTL_SEC, createDevSigner, devKeyDir } from './dev-signer.js';

/** Exit code of a command-line misuse (sysexits.h EX_USAGE). */
export const EXIT_USAGE = 64;

export const MIN_TOKEN_TTL_SEC = 60;

export interface TokenCommandIo {
  /** The environment: DATA_DIR (default `.data`) locates the dev key. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder a relative DATA_DIR is resolved from (the repository root under `npm run`). */
  readonly cwd: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const TOKEN_USAGE = [
  'usage: npm run token -- --tenant <id> [--role <role>]... [--ttl <seconds>] [--subject <sub>] [--service <name>] [--quiet]',
  '       npm run token -- --staff --role <role>... [--ttl <seconds>] [--subject <sub>] [--quiet]',
  '  --tenant   tenant id: 1-128 letters, digits, . _ : - (starting with a letter or digit)',
  '  --staff    a platform staff token: no tenant claim, roles required (e.g. admin, commerce, compliance, platform-admin)',
  '  --role     role to grant; repeat it or separate with commas (default: tenant)',
  `  --ttl      lifetime in seconds, ${MIN_TOKEN_TTL_SEC} to ${MAX_DEV_TOKEN_TTL_SEC} (default: 3600)`,
  '  --subject  the token subject (default: dev-<tenant>)',
  '  --service  mark the token as a service identity (svc claim)',
  '  --quiet    print the token only',
  'The token is signed with the embedded platform key in $DATA_DIR/auth (DATA_DIR defaults to .data).',
];

interface TokenRequest {
  /** Absent for a staff token. */
  readonly tenantId?: string;
  readonly roles: readonly string[];
  readonly ttlSec: number;
  readonly subject: string;
  readonly serviceName?: string;
  readonly quiet: boolean;
}

type Parsed = { readonly help: true } | { readonly help: false; readonly request: TokenRequest } | { readonly error: string };

function parse(argv: readonly string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        tenant: { type: 'string' },
        role: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        subject: { type: 'string' },
        service: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        staff: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { help: true };

  const staff = values.staff === true;
  const tenantId = values.tenant;
  if (staff && tenantId !== undefined) return { error: '--staff and --tenant exclude each other (a staff token has no tenant)' };
  if (staff && values.role === undefined) return { error: '--staff needs at least one --role' };
  if (!staff && tenantId === undefined) return { error: '--tenant is required (or --staff for a platform staff token)' };
  if (tenantId !== undefined && !isValidTenantId(tenantId)) {
    return { error: '--tenant must be 1-128 letters, digits, . _ : - and start with a letter or digit' };
  }

  const roles = [...new Set((values.role ?? ['tenant']).flatMap((role) => role.split(',')).map((role) => role.trim()))];
  if (staff && roles.includes('tenant')) return { error: '--staff tokens cannot carry the tenant role' };
  const badRole = roles.find((role) => !isValidRoleName(role));
  if (badRole !== undefined) {
    return { error: `--role ${JSON.stringify(badRole)} is not a role name (1-64 letters, digits, . _ : -, starting with a letter)` };
  }

  const ttlText = values.ttl ?? '3600';
  const ttlSec = /^\d{1,9}$/.test(ttlText) ? Number(ttlText) : Number.NaN;
  if (!(ttlSec >= MIN_TOKEN_TTL_SEC && ttlSec <= MAX_DEV_TOKEN_TTL_SEC)) {
    return { error: `--ttl must be a whole number of seconds from ${MIN_TOKEN_TTL_SEC} to ${MAX_DEV_TOKEN_TTL_SEC}` };
  }

  const subject = values.subject ?? (tenantId === undefined ? `dev-staff-${roles.join('-')}` : `dev-${tenantId}`);
  if (!/^[\x21-\x7e]{1,256}$/.test(subject)) return { error: '--subject must be 1-256 printable characters without spaces' };

  const serviceName = values.service;
  if (serviceName !== undefined && !isValidRoleName(serviceName)) {
    return { error: '--service must be 1-64 letters, digits, . _ : - and start with a letter' };
  }

  return {
    help: false,
    request: {
      roles,
      ttlSec,
      subject,
      quiet: values.quiet === true,
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(serviceName !== undefined ? { serviceName } : {}),
    },
  };
}

/**
 * `npm run token`: mints a token for a tenant with the embedded platform's dev key and prints it on
 * the last line (earlier lines say how to use it). Returns the exit code: 0, or 64 on bad usage.
 */
export async function runTokenCommand(argv: readonly string[], io: TokenCommandIo): Promise<number> {
  const parsed = parse(argv);
  if ('error' in parsed) {
    io.err(`token: ${parsed.error}`);
    for (const line of TOKEN_USAGE) io.err(line);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    for (const line of TOKEN_USAGE) io.out(line);
    return 0;
  }

  const request = parsed.request;
  const dataDir = resolve(io.cwd, io.env.DATA_DIR ?? '.data');
  const signer = await createDevSigner({ keyDir: devKeyDir(dataDir) });
  const token = await signer.mint({
    subject: request.subject,
    ...(request.tenantId !== undefined ? { tenantId: request.tenantId } : {}),
    roles: request.roles,
    ttlSec: request.ttlSec,
    ...(request.serviceName !== undefined ? { serviceName: request.serviceName } : {}),
  });

  if (!request.quiet) {
    const expires = new Date((decodeJwt(token).exp ?? 0) * 1000).toISOString();
    const holder = request.tenantId === undefined ? 'platform staff (no tenant)' : `tenant ${request.tenantId}`;
    io.out(`Token for ${holder} (subject ${request.subject}, roles ${request.roles.join(', ')}), valid until ${expires}.`);
    io.out(`Signed with the embedded platform's dev key in ${signer.keyFile}.`);
    io.out('Send it with these headers:');
    io.out('  Authorization: Bearer <the token on the last line>');
    if (request.tenantId === undefined) {
      io.out(`Scripts: TOKEN=$(npm run -s token -- --staff --role ${request.roles.join(',')} --quiet)`);
    } else {
      io.out(`  X-Tenant-Id: ${request.tenantId}`);
      io.out(`Scripts: TOKEN=$(npm run -s token -- --tenant ${request.tenantId} --quiet)`);
    }
  }
  io.out(token);
  return 0;
}
