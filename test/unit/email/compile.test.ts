import { Buffer } from 'node:buffer';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEmails } from '#templates/email/compiled.js';
import { emailTemplateNames } from '#templates/email/subjects.js';
import {
  COMPILED_MODULE,
  compileEmail,
  compileEmails,
  compressPayload,
  decompressPayload,
  EMAIL_DIR,
  EmailCompileError,
  formatModule,
  GENERATED_HEADER,
  generateModule,
  packEmails,
  splitModule,
} from '../../../scripts/compile-emails.js';

const scratchDirs: string[] = [];
afterAll(async () => {
  await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function scratchCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'soft-partner-emails-'));
  scratchDirs.push(dir);
  await cp(EMAIL_DIR, dir, { recursive: true });
  return dir;
}

describe('compiling the email templates', () => {
  it.each(emailTemplateNames)('compiles %s in strict mode, with a footer in both parts', async (name) => {
    // Prepare: the template files in templates/email

    // Act
    const email = await compileEmail(name);

    // Assess
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain('<html lang="en"');
    expect(email.html).toContain('href="{{unsubscribeUrl}}"');
    expect(email.html).toContain('Reply to this email to answer');
    expect(email.text).toContain('Reply to this email to answer');
    expect(email.text).toContain('{{unsubscribeUrl}}');
    expect(email.placeholders).toContain('unsubscribeUrl');
  });

  it('fails on an MJML validation error, naming the file', async () => {
    // Prepare
    const dir = await scratchCopy();
    const path = join(dir, 'day3.mjml');
    const source = await readFile(path, 'utf8');
    await writeFile(
      path,
      source.replace('<mj-text mj-class="heading">', '<mj-text mj-class="heading" colour="red">'),
    );

    // Act
    const compiling = compileEmail('day3', dir);

    // Assess
    await expect(compiling).rejects.toBeInstanceOf(EmailCompileError);
    await expect(compiling).rejects.toThrow(/day3\.mjml[\s\S]*colour/);
  });

  it('fails when the HTML and text parts disagree about placeholders', async () => {
    // Prepare
    const dir = await scratchCopy();
    const path = join(dir, 'day7.txt');
    await writeFile(path, (await readFile(path, 'utf8')).replace('{{goal}}', 'your goal'));

    // Act
    const compiling = compileEmails(dir);

    // Assess
    await expect(compiling).rejects.toThrow('{{goal}} is in the HTML part but not in day7.txt');
  });

  it('fails on a malformed placeholder', async () => {
    // Prepare
    const dir = await scratchCopy();
    const path = join(dir, 'check-in.txt');
    await writeFile(path, (await readFile(path, 'utf8')).replace('{{partner}}', '{{ partner }}'));

    // Act
    const compiling = compileEmail('checkIn', dir);

    // Assess
    await expect(compiling).rejects.toThrow('malformed placeholder {{ partner }} in the text part');
  });

  it('has a committed compiled.ts that is up to date with the sources', async () => {
    // Prepare
    const committed = await readFile(COMPILED_MODULE, 'utf8');

    // Act
    const fresh = await compileEmails();
    const generated = formatModule(generateModule(fresh));

    // Assess: the blob by what it holds (another brotli build may pick other bytes for the same
    // payload), the rest of the module byte for byte, and what the module serves at run time.
    expect(committed.startsWith(GENERATED_HEADER)).toBe(true);
    expect(decompressPayload(splitModule(committed).blob)).toBe(packEmails(fresh));
    expect(splitModule(committed).rest).toBe(splitModule(generated).rest);
    expect(compiledEmails).toEqual(fresh);
  });

  it('generates the same module from the same sources, with one compressed blob', async () => {
    // Prepare
    const fresh = await compileEmails();
    const payload = packEmails(fresh);

    // Act
    const first = generateModule(fresh);
    const second = generateModule(fresh);

    // Assess
    expect(second).toBe(first);
    expect(splitModule(first).blob).toBe(compressPayload(payload));
    expect(decompressPayload(compressPayload(payload))).toBe(payload);
    expect(first.length).toBeLessThan(Buffer.byteLength(payload) / 4);
  });
});
