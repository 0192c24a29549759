import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keeps a copy of every structured log line the code under test prints (Powertools writes one JSON
 * object per line to stdout or stderr), one file per test worker. `npm test` then scans them all for
 * phone numbers and email addresses (scripts/privacy-scan.ts): our logs must carry ids, never those.
 */
const dir = join('out', 'logs');
mkdirSync(dir, { recursive: true });
const file = join(dir, `worker-${process.pid}.log`);

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    const lines = text.split('\n').filter((line) => line.startsWith('{') && line.includes('"level"'));
    if (lines.length) appendFileSync(file, `${lines.join('\n')}\n`);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
