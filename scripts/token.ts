// npm run token -- --tenant <id> [--role tenant] [--ttl 3600] [--subject …] [--quiet]
// Prints a token signed with the embedded platform's dev key ($DATA_DIR/auth) on its last line.
import { runTokenCommand } from '@sms/auth';

process.exitCode = await runTokenCommand(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
