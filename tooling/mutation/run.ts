/**
 * `npm run mutation [-- <target>...]`: Stryker on the domain code, one target after the other.
 * A target is named in full (`numbering-service.value-objects`) or by its prefix (`numbering-service`);
 * no name runs them all; `--ignore-static` skips static mutants (they rerun every spec; see the docs).
 * Not part of `npm test` or CI: it takes minutes per target (ARCHITECTURE.md).
 * Reports land in `.tmp/mutation/<target>/` (HTML and the mutation-testing JSON schema).
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { MUTATION_TARGETS, NOT_MUTATED, type MutationTarget } from './targets.js';

type StrykerOptions = NonNullable<ConstructorParameters<typeof Stryker>[0]>;
type MutantResult = Awaited<ReturnType<Stryker['runMutationTest']>>[number];

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function selectTargets(names: readonly string[]): MutationTarget[] {
  if (names.length === 0) return [...MUTATION_TARGETS];
  const unknown = names.filter((n) => !MUTATION_TARGETS.some((t) => t.name === n || t.name.startsWith(`${n}.`)));
  if (unknown.length > 0) {
    const known = MUTATION_TARGETS.map((t) => t.name).join(', ');
    throw new Error(`unknown mutation target(s): ${unknown.join(', ')}; known: ${known}`);
  }
  return MUTATION_TARGETS.filter((t) => names.some((n) => t.name === n || t.name.startsWith(`${n}.`)));
}

function optionsFor(target: MutationTarget, ignoreStatic: boolean): StrykerOptions {
  const reportDir = path.join('.tmp', 'mutation', target.name);
  return {
    mutate: [...target.mutate],
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: {
      configFile: 'tooling/mutation/vitest.config.ts',
      dir: target.tests,
      related: true,
    },
    coverageAnalysis: 'perTest',
    // Static mutants (module-level code) rerun every spec of the folder; skipping them is a quick, partial look.
    ignoreStatic,
    // The machine is shared: one test runner at a time.
    concurrency: 1,
    thresholds: { high: 90, low: target.breakAt, break: target.breakAt },
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: path.join(reportDir, 'index.html') },
    jsonReporter: { fileName: path.join(reportDir, 'mutation.json') },
    // The sandbox lives outside the repository so linting and type checking of the tree never see it.
    tempDirName: path.join(os.tmpdir(), `stryker-sms-${process.pid}`),
    cleanTempDir: true,
    ignorePatterns: ['.tmp', 'coverage', '.data'],
  };
}

interface TargetOutcome {
  readonly name: string;
  readonly score: number;
  readonly detected: number;
  readonly undetected: number;
  readonly breakAt: number;
  readonly seconds: number;
}

function outcomeOf(target: MutationTarget, results: readonly MutantResult[], seconds: number): TargetOutcome {
  const detected = results.filter((r) => DETECTED.has(r.status)).length;
  const undetected = results.filter((r) => UNDETECTED.has(r.status)).length;
  const valid = detected + undetected;
  return {
    name: target.name,
    score: valid === 0 ? 100 : (detected / valid) * 100,
    detected,
    undetected,
    breakAt: target.breakAt,
    seconds,
  };
}

/** Source files in a mutated folder that no target lists (a new domain file someone forgot to add). */
function forgottenFiles(): string[] {
  const listed = new Set([...MUTATION_TARGETS.flatMap((t) => t.mutate), ...NOT_MUTATED]);
  const folders = new Set([...listed].map((file) => path.posix.dirname(file)));
  return [...folders].flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => `${folder}/${name}`)
      .filter((file) => !listed.has(file) && !file.endsWith('/index.ts')),
  );
}

async function main(): Promise<void> {
  const forgotten = forgottenFiles();
  if (forgotten.length > 0) console.warn(`not in any mutation target (add them to tooling/mutation/targets.ts): ${forgotten.join(', ')}`);
  const args = process.argv.slice(2);
  const ignoreStatic = args.includes('--ignore-static');
  const targets = selectTargets(args.filter((a) => a !== '--ignore-static'));
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) {
    const started = Date.now();
    const results = await new Stryker(optionsFor(target, ignoreStatic)).runMutationTest();
    outcomes.push(outcomeOf(target, results, Math.round((Date.now() - started) / 1000)));
  }
  console.log('\nmutation score per target');
  for (const o of outcomes) {
    const verdict = o.score >= o.breakAt ? 'ok' : 'BELOW BAR';
    console.log(
      `  ${o.name.padEnd(36)} ${o.score.toFixed(2).padStart(6)} %  (${o.detected} detected, ${o.undetected} undetected, ` +
        `bar ${o.breakAt} %, ${o.seconds} s)  ${verdict}`,
    );
  }
  if (outcomes.some((o) => o.score < o.breakAt)) process.exitCode = 1;
}

await main();
