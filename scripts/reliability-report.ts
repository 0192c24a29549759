/**
 * `npm run reliability:report`: runs the reliability suite and writes the figures it printed into
 * docs/reliability.md (between the FIGURES markers), with the date and the machine, so the table is
 * always what the suite last measured.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const FIGURES = join('out', 'reliability', 'figures.jsonl');
const DOC = join('docs', 'reliability.md');
const START = '<!-- FIGURES:START -->';
const END = '<!-- FIGURES:END -->';

rmSync(FIGURES, { force: true });
execFileSync('npx', ['vitest', 'run', 'test/reliability'], { stdio: 'inherit' });
if (!existsSync(FIGURES)) throw new Error(`The suite wrote no figures to ${FIGURES}`);

const rows = readFileSync(FIGURES, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { area: string; what: string; value: string | number; unit: string });
rows.sort((a, b) => a.area.localeCompare(b.area));
const cell = (text: string) => text.replace(/\|/g, '\\|');
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}.`,
  '',
  '| area | what | figure |',
  '| --- | --- | --- |',
  ...rows.map((row) => `| ${row.area} | ${cell(row.what)} | ${row.value}${row.unit ? ` ${row.unit}` : ''} |`),
].join('\n');
const doc = readFileSync(DOC, 'utf8');
const before = doc.slice(0, doc.indexOf(START) + START.length);
const after = doc.slice(doc.indexOf(END));
writeFileSync(DOC, `${before}\n${table}\n${after}`);
process.stdout.write(`${rows.length} figures written to ${DOC}\n`);
