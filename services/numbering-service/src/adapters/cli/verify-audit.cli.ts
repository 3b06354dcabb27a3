// `npm run verify-audit -w services/numbering-service -- [options]`: see VERIFY_AUDIT_USAGE.
import { runVerifyAuditCommand } from './verify-audit.command.js';

process.exitCode = await runVerifyAuditCommand(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
