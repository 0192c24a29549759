import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledEmails } from '#templates/email/compiled.js';
import { EmailRenderError, escapeHtml, renderEmail, trustedHtml } from '#templates/email/render.js';
import { sampleEmailValues } from '#templates/email/samples.js';
import { emailTemplateNames } from '#templates/email/subjects.js';
import { EMAIL_DIR } from '../../../scripts/compile-emails.js';

const SHAMING = /\b(fail\w*|missed|overdue|behind|lazy|disappoint\w*|shame\w*|guilty|should have|must)\b/i;

/** Strips markup so the words an HTML email shows can be checked. */
function visibleWords(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ');
}

describe('renderEmail', () => {
  it.each(emailTemplateNames)('renders %s with the sample values (snapshot)', async (name) => {
    // Prepare: sampleEmailValues

    // Act
    const email = renderEmail(name, sampleEmailValues);

    // Assess
    expect(email.subject).toMatchSnapshot();
    await expect(email.html).toMatchFileSnapshot(`./__snapshots__/emails/${name}.html.snap`);
    await expect(email.text).toMatchFileSnapshot(`./__snapshots__/emails/${name}.txt`);
    expect(`${email.subject}${email.html}${email.text}`).not.toMatch(/\{\{|\}\}/);
  });

  it('escapes a goal with markup and quotes in the HTML part and keeps it verbatim in the text', () => {
    // Prepare
    const goal = `Tom's "big" <script>alert("x")</script> & more`;

    // Act
    const email = renderEmail('checkIn', { ...sampleEmailValues, goal });

    // Assess
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain(goal);
    expect(email.html).toContain(
      'Tom&#39;s &quot;big&quot; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more',
    );
    expect(email.text).toContain(`Still on track for "${goal}" today?`);
    expect(email.subject).toBe(`Still on track for "${goal}" today, Ada?`);
  });

  it('escapes all five HTML special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('inserts trusted HTML unescaped, and escapes a plain string in the same slot', () => {
    // Prepare
    const summary = '<ul><li>11 days on track</li></ul>';

    // Act
    const trusted = renderEmail('day14', { ...sampleEmailValues, summaryHtml: trustedHtml(summary) });
    const plain = renderEmail('day14', { ...sampleEmailValues, summaryHtml: summary });

    // Assess
    expect(trusted.html).toContain(summary);
    expect(plain.html).toContain('&lt;ul&gt;&lt;li&gt;11 days on track&lt;/li&gt;&lt;/ul&gt;');
  });

  it('refuses trusted HTML in the plain-text part', () => {
    // Prepare
    const values = { ...sampleEmailValues, summaryText: trustedHtml('<b>no</b>') };

    // Act
    const rendering = () => renderEmail('day14', values);

    // Assess
    expect(rendering).toThrow(EmailRenderError);
    expect(rendering).toThrow('{{summaryText}} is used in the text');
  });

  it('throws an error naming every missing value', () => {
    // Prepare
    const { summaryHtml: _html, actionUrlPause: _pause, ...values } = sampleEmailValues;

    // Act
    const rendering = () => renderEmail('day14', values);

    // Assess
    expect(rendering).toThrow('renderEmail("day14"): missing values for {{actionUrlPause}}, {{summaryHtml}}');
  });

  it('keeps the subject on one line and never expands placeholders inside values', () => {
    // Act
    const email = renderEmail('invitation', { ...sampleEmailValues, partner: 'Ben\r\nBcc: x@y.z {{name}}' });

    // Assess
    expect(email.subject).toBe('Ben Bcc: x@y.z {{name}} invited you to a 14-day Soft Partner trial');
    expect(email.text).toContain('{{name}} invited you');
  });
});

describe('the email templates', () => {
  it.each(emailTemplateNames)('%s uses only placeholders the sample values provide', (name) => {
    // Prepare
    const provided = Object.keys(sampleEmailValues);

    // Act
    const unprovided = compiledEmails[name].placeholders.filter((key) => !provided.includes(key));

    // Assess
    expect(unprovided).toEqual([]);
  });

  it.each(emailTemplateNames)('never shames the member in %s', (name) => {
    // Prepare
    const email = renderEmail(name, sampleEmailValues);

    // Act
    const words = `${email.subject}\n${visibleWords(email.html)}\n${email.text}`;

    // Assess
    expect(words).not.toMatch(SHAMING);
  });
});

/** Module specifiers a TypeScript file imports or re-exports, statically or dynamically. */
function importsOf(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? '');
}

const isMjml = (specifier: string) => /^mjml($|[-/])/.test(specifier);

describe('the runtime email code', () => {
  it('never imports mjml from render.ts or anything it imports', async () => {
    // Prepare
    const seen = new Set<string>();
    const queue = [join(EMAIL_DIR, 'render.ts')];
    const mjmlImports: string[] = [];

    // Act
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        if (isMjml(specifier)) mjmlImports.push(`${file}: ${specifier}`);
        if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    }

    // Assess
    expect(mjmlImports).toEqual([]);
    expect([...seen].map((file) => file.slice(EMAIL_DIR.length + 1)).sort()).toEqual([
      'compiled.ts',
      'render.ts',
      'subjects.ts',
      'types.ts',
    ]);
  });

  it('has no file under templates/email that imports mjml', async () => {
    // Prepare
    const files = (await readdir(EMAIL_DIR, { recursive: true })).filter((file) =>
      /\.[cm]?[jt]s$/.test(file),
    );

    // Act
    const offenders: string[] = [];
    for (const file of files) {
      if (importsOf(await readFile(join(EMAIL_DIR, file), 'utf8')).some(isMjml)) offenders.push(file);
    }

    // Assess
    expect(files).toContain('render.ts');
    expect(offenders).toEqual([]);
  });
});
