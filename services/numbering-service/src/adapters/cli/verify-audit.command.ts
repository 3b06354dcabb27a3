import { parseArgs } from 'node:util';
import { createDatabase, serviceRoles } from '@sms/db';
import { systemClock } from '@sms/kernel';
import { VerifyAuditChain } from '../../index.js';
import type { AuditChainHead } from '../../index.js';
import { standaloneRunner, SYSTEM_SCOPE } from '../postgres/numbering-scope.js';
import type { NumberingTables } from '../postgres/numbering-tables.js';
import { PostgresAuditLogReader } from '../postgres/postgres-audit.log.js';

export const VERIFY_AUDIT_USAGE = `usage: npm run verify-audit -w services/numbering-service -- [--schema numbering] [--role <schema>_system] [--anchor <seq>:<hash>] [--page-size 1000] [--json]
  Walks numbering-service's hash-chained audit table from the first row and names the first broken row.
  DATABASE_URL selects the PostgreSQL server; the chain is read as --role (default <schema>_system), which the
  connecting user must be able to SET ROLE to.
  Exit status: 0 intact, 1 broken, 2 bad usage, 3 the database could not be read.`;

export interface VerifyAuditIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const ANCHOR = /^([1-9][0-9]{0,15}):([0-9a-f]{64})$/;

/** The `verify-audit` command: 0 intact, 1 broken (the first broken row is named), 2 usage, 3 database error. */
export async function runVerifyAuditCommand(argv: readonly string[], io: VerifyAuditIo): Promise<number> {
  let values: { schema?: string; role?: string; anchor?: string; 'page-size'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        schema: { type: 'string' },
        role: { type: 'string' },
        anchor: { type: 'string' },
        'page-size': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(VERIFY_AUDIT_USAGE);
    return 0;
  }
  const url = io.env.DATABASE_URL;
  if (url === undefined || url === '') {
    io.err(`DATABASE_URL is not set\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }
  const schema = values.schema ?? 'numbering';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    io.err(`--schema must be a lower-case SQL identifier\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }
  const role = values.role ?? serviceRoles(schema).systemRole;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    io.err(`--role must be a lower-case SQL identifier\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }
  let anchor: AuditChainHead | undefined;
  if (values.anchor !== undefined) {
    const match = ANCHOR.exec(values.anchor);
    if (match?.[1] === undefined || match[2] === undefined) {
      io.err(`--anchor must be <seq>:<64 hex digits of the row's hash>\n${VERIFY_AUDIT_USAGE}`);
      return 2;
    }
    anchor = { seq: Number(match[1]), hash: match[2] };
  }
  const pageSize = values['page-size'] === undefined ? 1000 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    io.err(`--page-size must be an integer from 1 to 10000\n${VERIFY_AUDIT_USAGE}`);
    return 2;
  }

  const database = createDatabase<NumberingTables>({ url, poolMax: 1, applicationName: 'numbering-verify-audit' });
  try {
    const reader = new PostgresAuditLogReader(standaloneRunner(database.db, { appRole: role, systemRole: role }, SYSTEM_SCOPE), schema);
    const result = await new VerifyAuditChain({ audit: reader }).execute({
      actor: { role: 'system', id: 'verify-audit-command' },
      pageSize,
      ...(anchor === undefined ? {} : { anchor }),
    });
    if (!result.ok) {
      io.err(`refused: ${result.error.code} ${result.error.message}`);
      return 3;
    }
    const verdict = result.value;
    if (values.json === true) io.out(JSON.stringify({ schema, checkedAt: systemClock.now().toISOString(), ...verdict }));
    else if (verdict.intact) {
      io.out(`audit chain of ${schema} intact: ${verdict.rowCount} rows${verdict.head === null ? '' : `, head ${verdict.head.seq}:${verdict.head.hash}`}`);
    } else {
      const broken = verdict.firstBroken;
      io.out(`audit chain of ${schema} BROKEN at row seq=${broken.seq}${broken.id === null ? '' : ` id=${broken.id}`}: ${broken.reason} (${verdict.rowCount} rows read)`);
    }
    return verdict.intact ? 0 : 1;
  } catch (error) {
    io.err(`cannot read the audit chain: ${error instanceof Error ? error.message : String(error)}`);
    return 3;
  } finally {
    await database.close();
  }
}
