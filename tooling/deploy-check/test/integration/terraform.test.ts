// deploy/terraform: formatting, validation where the providers are available on this machine, and the
// scoping of the Vault policies. Providers cannot be downloaded here: only hashicorp/aws is in the
// local mirror (/opt/tf-plugins), so the Vault modules are not validated by terraform (see
// docs/deployment.md); their policies are checked by reading the HCL.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot, readText } from '../support/repo.js';

const TERRAFORM = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find((path) => existsSync(path));
const AWS_MIRROR = '/opt/tf-plugins';
const awsInMirror = existsSync(join(AWS_MIRROR, 'registry.terraform.io/hashicorp/aws'));

function terraform(args: string[], cwd: string): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile(TERRAFORM ?? 'terraform', args, { cwd, env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, output: `${stdout}${stderr}` });
    });
  });
}

/** `path "…" { capabilities = [...] }` blocks of a Vault policy file. */
function hclPolicyRules(hcl: string): string[] {
  return [...hcl.matchAll(/path\s+"([^"]+)"\s*\{\s*capabilities\s*=\s*\[([^\]]*)\]/g)].map(
    (m) => `${m[1]} ${(m[2] ?? '').replace(/[\s"]/g, '').split(',').sort().join(',')}`,
  );
}

/** `path = "…"` / `capabilities = [...]` pairs of a service module's rules (kv mount = secret). */
function moduleRules(tf: string): string[] {
  return [...tf.matchAll(/path\s*=\s*"([^"]+)"\s*\n\s*capabilities\s*=\s*\[([^\]]*)\]/g)].map(
    (m) => `${(m[1] ?? '').replace('${var.kv_mount}', 'secret')} ${(m[2] ?? '').replace(/[\s"]/g, '').split(',').sort().join(',')}`,
  );
}

describe('Terraform', () => {
  it.skipIf(TERRAFORM === undefined)('is formatted (terraform fmt -check -recursive)', async () => {
    const result = await terraform(['fmt', '-check', '-recursive', '-diff', '.'], fromRoot('deploy/terraform'));
    // stdout lists the files fmt would change, with their diff; stderr may hold CLI-configuration warnings.
    expect(result.stdout.trim(), 'files terraform fmt would change').toBe('');
    expect(result.code, result.output).toBe(0);
  });

  it.skipIf(TERRAFORM === undefined || !awsInMirror)('validates the regulator-export bucket module with the local AWS provider', async () => {
    const work = await mkdtemp(join(tmpdir(), 'deploy-check-tf-'));
    try {
      await cp(fromRoot('deploy/terraform/modules/regulator-export-bucket'), work, { recursive: true });
      const init = await terraform(['init', '-backend=false', '-input=false', `-plugin-dir=${AWS_MIRROR}`], work);
      expect(init.code, init.output).toBe(0);
      const validate = await terraform(['validate', '-no-color'], work);
      expect(validate.output, validate.output).toContain('The configuration is valid');
      expect(validate.code).toBe(0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('locks regulator exports in COMPLIANCE mode for 7 years on a versioned bucket', async () => {
    const tf = await readText(fromRoot('deploy/terraform/modules/regulator-export-bucket/main.tf'));
    expect(tf).toMatch(/object_lock_enabled\s*=\s*true/);
    expect(tf).toMatch(/mode\s*=\s*"COMPLIANCE"/);
    expect(tf).toMatch(/years\s*=\s*var\.retention_years/);
    expect(tf).toMatch(/status\s*=\s*"Enabled"/);
    const variables = await readText(fromRoot('deploy/terraform/modules/regulator-export-bucket/variables.tf'));
    expect(variables).toMatch(/variable "retention_years"[\s\S]*?default\s*=\s*7/);
  });

  it('gives operator-management exactly the Vault paths of its bootstrap policy (nothing outside secret/ops/operators/*)', async () => {
    const bootstrap = hclPolicyRules(await readText(fromRoot('services/operator-management/deploy/vault/operator-management.hcl')));
    const module = moduleRules(await readText(fromRoot('deploy/terraform/services/operator-management/main.tf')));
    expect(bootstrap.length).toBe(2);
    expect(module.sort()).toEqual(bootstrap.sort());
    for (const rule of module) expect(rule).toMatch(/^secret\/(data|metadata)\/ops\/operators\/\*/);
  });

  it('has a Vault module per service, each granting only paths under its own prefix', async () => {
    const services = (await readdir(fromRoot('services'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const modules = (await readdir(fromRoot('deploy/terraform/services'))).sort();
    expect(modules).toEqual(services);
    const prefixes: Record<string, RegExp> = {
      'sms-orchestrator': /^secret\/data\/(orch\/|platform\/sms-orchestrator\/)/,
      'numbering-service': /^$/,
      'operator-management': /^secret\/(data|metadata)\/ops\/operators\//,
      'config-service': /^$/,
      'routing-engine': /^$/,
      'smpp-gateway': /^secret\/data\/platform\/smpp-gateway\//,
    };
    for (const service of modules) {
      const rules = moduleRules(await readText(fromRoot(`deploy/terraform/services/${service}/main.tf`)));
      for (const rule of rules) expect(rule, service).toMatch(prefixes[service] ?? /^$/);
    }
    const transit = await readText(fromRoot('deploy/terraform/modules/transit-signing-key/main.tf'));
    expect(transit).toMatch(/exportable\s*=\s*false/);
    expect(transit).toMatch(/deletion_allowed\s*=\s*false/);
  });
});
