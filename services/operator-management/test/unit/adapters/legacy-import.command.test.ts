import { describe, expect, it } from 'vitest';
import { EXIT, parseLegacyImportArgs, runLegacyImport, type LegacyImportOptions } from '../../../src/adapters/cli/legacy-import.command.js';
import { harness } from '../../support/harness.js';

const CSV = `code,name,mcc,mnc,host,port,system_id,bind_mode,password
ROSHAN,Roshan,412,20,smsc1.roshan.example,2775,ROSH1,trx,Cl!pw001
BAD,Bad,412,2x,smsc.bad.example,2775,B1,trx,
`;

function io(content: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readFile: () => Promise.resolve(content) } };
}

const options = (more: Partial<LegacyImportOptions> = {}): LegacyImportOptions => ({ file: '/x/operators.csv', apply: false, json: false, ...more });

describe('parseLegacyImportArgs', () => {
  it('resolves a relative --file from the directory the command was typed in', () => {
    expect(parseLegacyImportArgs(['--file', 'exports/ops.csv'], '/home/ops')).toEqual({ file: '/home/ops/exports/ops.csv', apply: false, json: false });
  });

  it('reads --apply, --format and --json', () => {
    expect(parseLegacyImportArgs(['--file', '/a.json', '--apply', '--format', 'json', '--json'], '/')).toEqual({ file: '/a.json', apply: true, json: true, format: 'json' });
  });

  it.each([
    [[], '--file is required'],
    [['--file', 'a', '--format', 'xml'], '--format must be csv or json'],
    [['--file', 'a', '--dry'], "Unknown option '--dry'"],
  ])('refuses %j with a usage error', (argv, message) => {
    const parsed = parseLegacyImportArgs(argv, '/');
    expect('usageError' in parsed && parsed.usageError).toContain(message);
  });
});

describe('runLegacyImport', () => {
  it('prints a dry run line per operator and a summary, never a password, and exits 1 when a record is invalid', async () => {
    const h = harness();
    const { out, io: streams } = io(CSV);
    const code = await runLegacyImport(options(), streams, { plan: h.planLegacyImport, apply: h.applyLegacyImport });
    expect(code).toBe(EXIT.incomplete);
    expect(out[0]).toBe('DRY RUN: nothing was written. Run again with --apply to import.');
    expect(out[1]).toMatch(/^create\s+ROSHAN\s+\(line 2\)\s+operator/);
    expect(out[2]).toMatch(/^invalid\s+BAD\s+\(line 3\)\s+mnc: must be 2 or 3 digits/);
    expect(out[3]).toBe('summary: 1 create, 0 update, 0 unchanged, 1 invalid');
    expect(out.join('\n')).not.toContain('Cl!pw');
    expect(h.outbox.events).toEqual([]);
  });

  it('applies with --apply and prints the outcome of each operator', async () => {
    const h = harness();
    const { out, io: streams } = io(CSV.split('\n').slice(0, 2).join('\n'));
    const code = await runLegacyImport(options({ apply: true }), streams, { plan: h.planLegacyImport, apply: h.applyLegacyImport });
    expect(code).toBe(EXIT.ok);
    expect(out[1]).toMatch(/^applied\s+create\s+ROSHAN/);
    expect(out.at(-1)).toBe('summary: 1 create, 0 update, 0 unchanged, 0 invalid, 0 failed');
    expect(h.store.paths()).toHaveLength(1);
  });

  it('prints the plan as JSON with --json', async () => {
    const h = harness();
    const { out, io: streams } = io(CSV);
    await runLegacyImport(options({ json: true }), streams, { plan: h.planLegacyImport, apply: h.applyLegacyImport });
    expect(JSON.parse(out.join('\n'))).toMatchObject({ mode: 'dry-run', summary: { create: 1, invalid: 1 } });
  });

  it('refuses a file it cannot read as CSV or JSON, saying why', async () => {
    const h = harness();
    const { err, io: streams } = io('code,nmae\nX,Y\n');
    const code = await runLegacyImport(options(), streams, { plan: h.planLegacyImport, apply: h.applyLegacyImport });
    expect(code).toBe(EXIT.incomplete);
    expect(err[0]).toContain('OPS.LEGACY_EXPORT_MALFORMED');
  });

  it('answers a missing file with the usage status', async () => {
    const h = harness();
    const streams = { out: () => undefined, err: () => undefined, readFile: () => Promise.reject(new Error('ENOENT')) };
    expect(await runLegacyImport(options(), streams, { plan: h.planLegacyImport, apply: h.applyLegacyImport })).toBe(EXIT.usage);
  });
});
