/**
 * The privacy check of `npm test`: every structured log line the suite printed (collected by
 * test/support/capture-logs.ts into out/logs/) is scanned for phone numbers and email addresses.
 * Exits 1, naming the files and the kind of data (never repeating it), if any is found.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dirFlag = process.argv.indexOf('--dir');
const dir = dirFlag > 0 ? (process.argv[dirFlag + 1] ?? '') : join('out', 'logs');
const PHONE = /\+\d{8,15}\b/;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

if (process.argv.includes('--clean')) {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.log')) : [];
let lines = 0;
const findings: string[] = [];
for (const file of files) {
  for (const [index, line] of readFileSync(join(dir, file), 'utf8').split('\n').entries()) {
    if (!line) continue;
    lines += 1;
    if (PHONE.test(line)) findings.push(`${file}:${index + 1}: a phone number`);
    if (EMAIL.test(line)) findings.push(`${file}:${index + 1}: an email address`);
  }
}
process.stdout.write(
  `Privacy scan: ${lines} log lines from ${files.length} test workers; ${findings.length} with personal data.\n`,
);
if (lines === 0) {
  process.stderr.write(
    'Privacy scan: no log lines were captured; is test/support/capture-logs.ts a vitest setup file?\n',
  );
  process.exit(1);
}
if (findings.length) {
  process.stderr.write(`${findings.slice(0, 50).join('\n')}\n`);
  process.exit(1);
}
