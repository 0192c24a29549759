/**
 * Writes every email template, filled with the sample values from templates/email/samples.ts, to
 * `out/emails/<name>.html` and `out/emails/<name>.txt` (with the subject on the first line), to open in a
 * browser or paste into an email client.
 *
 *   npm run preview:emails      (npx tsx scripts/preview-emails.ts)
 *
 * It renders the committed `compiled.ts`; run `npm run build:emails` first after editing a template.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEmail } from '#templates/email/render.js';
import { sampleEmailValues } from '#templates/email/samples.js';
import { emailTemplateNames } from '#templates/email/subjects.js';

const outDir = fileURLToPath(new URL('../out/emails/', import.meta.url));
await mkdir(outDir, { recursive: true });
for (const name of emailTemplateNames) {
  const email = renderEmail(name, sampleEmailValues);
  await writeFile(join(outDir, `${name}.html`), email.html);
  await writeFile(join(outDir, `${name}.txt`), `Subject: ${email.subject}\n\n${email.text}`);
}
console.log(`Wrote ${emailTemplateNames.length} previews to ${outDir}`);
