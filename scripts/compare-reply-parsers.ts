/**
 * Compares reply parsers from npm with our rules on the reply fixtures (test/fixtures/email): every
 * client style quoting our real check-in around each kind of answer, and the hand-written .eml files.
 * Every parser gets the same decoded body (our postal-mime adapter's `body`); what it keeps is read by
 * our grammar and compared with what the member's words alone mean.
 *
 * The candidates are not dependencies: install them somewhere else and point at that folder,
 *
 *   npm install --prefix /tmp/cmp email-reply-parser planer node-email-reply-parser talonjs emailreplyparser parse-reply
 *   REPLY_PARSERS=/tmp/cmp/node_modules npx tsx scripts/compare-reply-parsers.ts
 *
 * It prints a Markdown table (docs/email-replies.md keeps the last one).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parseReplyEmail } from '#shared/adapters/mime-reply.js';
import { ourWordsFor, ownWords } from '#shared/adapters/reply-history.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import { replyCases } from '../test/fixtures/email/cases.js';
import { clientStyles, memberReplies, sentEmail } from '../test/fixtures/email/clients.js';

const folder = process.env.REPLY_PARSERS;
if (!folder) throw new Error('Set REPLY_PARSERS to the node_modules folder the candidates were installed in');
const load = createRequire(join(folder, 'noop.js'));

type Extract = (body: string) => string;
type ErpClass = new () => { read(text: string): { getVisibleText(): string } };
interface Candidate {
  name: string;
  extract: Extract;
  /** The package whose minified bundle size is reported. */
  pkg?: string;
}

const candidates: Candidate[] = [];
const tryAdd = (name: string, pkg: string, make: () => Extract) => {
  try {
    candidates.push({ name, pkg, extract: make() });
  } catch (error) {
    console.error(`${name}: not loaded (${error instanceof Error ? error.message : error})`);
  }
};

tryAdd('email-reply-parser 2.3.9 (in use before)', 'email-reply-parser', () => {
  const Parser = (load('email-reply-parser') as { default: ErpClass }).default;
  return (body) => new Parser().read(body).getVisibleText();
});
tryAdd('planer 1.2.0 (talon port)', 'planer', () => {
  const planer = load('planer') as { extractFrom(body: string, type: string): string };
  return (body) => planer.extractFrom(body, 'text/plain');
});
tryAdd('talonjs 1.0.28', 'talonjs', () => {
  const talon = load('talonjs') as { quotations: { extractFromPlain(body: string): { body: string } } };
  return (body) => talon.quotations.extractFromPlain(body).body;
});
tryAdd('node-email-reply-parser 0.1.4', 'node-email-reply-parser', () => {
  const parse = load('node-email-reply-parser') as (body: string, visibleOnly: boolean) => string;
  return (body) => parse(body, true);
});
tryAdd('emailreplyparser 0.0.5', 'emailreplyparser', () => {
  const { EmailReplyParser } = load('emailreplyparser') as {
    EmailReplyParser: { parse_reply(body: string): string };
  };
  return (body) => EmailReplyParser.parse_reply(body);
});
tryAdd('parse-reply 0.0.4', 'parse-reply', () => {
  const parse = load('parse-reply') as (body: string) => string;
  return (body) => parse(body);
});
const ours = ourWordsFor({ name: 'Ada', goal: 'write 300 words', partner: 'Ben' });
candidates.push({ name: 'ours (reply-history.ts), chosen', extract: (body) => ownWords(body, ours) });
const erp = candidates[0];
if (erp?.name.startsWith('email-reply-parser'))
  candidates.push({
    name: 'ours, then email-reply-parser',
    extract: (body) => erp.extract(ownWords(body, ours)),
  });

interface Case {
  label: string;
  body: string;
  reply: string;
}

const cases: Case[] = [];
const sent = await sentEmail();
for (const style of clientStyles)
  for (const [intent, reply] of Object.entries(memberReplies))
    cases.push({
      label: `${style.id} ${intent}`,
      body: (await parseReplyEmail(style.write(sent, reply))).body,
      reply,
    });
for (const each of replyCases) {
  const raw = readFileSync(new URL(`../test/fixtures/email/${each.file}`, import.meta.url));
  cases.push({ label: each.file, body: (await parseReplyEmail(raw)).body, reply: each.text });
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const kinds = (text: string) => JSON.stringify(parseReply(text).intents);

console.log(
  `${cases.length} replies (${clientStyles.length} client styles × ${Object.keys(memberReplies).length} answers, and ${replyCases.length} .eml files)\n`,
);
console.log(
  '| parser | understood | exact words | acted on our words | missed the answer | crashed | µs a reply | minified KB |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const candidate of candidates) {
  let understood = 0;
  let exact = 0;
  let actedOnOurs = 0;
  let missed = 0;
  let crashed = 0;
  const started = performance.now();
  for (const each of cases) {
    let kept: string;
    try {
      kept = candidate.extract(each.body);
    } catch {
      crashed++;
      continue;
    }
    const alone = kinds(each.reply);
    const read = kinds(kept);
    if (read === alone) understood++;
    else if (read === '[]') missed++;
    else actedOnOurs++;
    if (squash(kept) === squash(each.reply)) exact++;
  }
  const micros = ((performance.now() - started) * 1000) / cases.length;
  let size = '';
  if (candidate.pkg) {
    const bundle = await build({
      stdin: { contents: `import * as x from '${candidate.pkg}'; console.log(x);`, resolveDir: folder },
      bundle: true,
      minify: true,
      platform: 'node',
      write: false,
      logLevel: 'silent',
    }).catch(() => undefined);
    size = bundle ? ((bundle.outputFiles[0]?.contents.length ?? 0) / 1024).toFixed(0) : '?';
  }
  const pct = (count: number) => `${count} (${Math.round((100 * count) / cases.length)}%)`;
  console.log(
    `| ${candidate.name} | ${pct(understood)} | ${pct(exact)} | ${actedOnOurs} | ${missed} | ${crashed} | ${micros.toFixed(0)} | ${size || 'in the bundle already'} |`,
  );
}
