/**
 * `npm run bench`: what the code costs at run time, each figure beside a floor built the same way.
 * Writes bench/results.md with the machine and the date. Not part of CI timing.
 *
 *   1. Bundles: every Lambda bundle (esbuild, minified ESM, SDK bundled) against a floor bundle that
 *      makes one DynamoDB call; the top contributors of each.
 *   2. Cold import: median of 20 fresh node processes importing each bundle, as a ratio to the floor.
 *   3. Templates: one send-time render per email against mjml rendering the same template at run time.
 *   4. Warm reply: YES, GRACE, a need, a win and STOP handled in process against the local DynamoDB API
 *      server, against the same raw requests (the same kinds, in the same order, on the same client); and
 *      the DynamoDB calls each reply and each scheduled send makes.
 *   5. Burst: `--members` (10,000) with the same 09:00 check-in through scheduler, queue and senders to a
 *      Twilio-compatible API that queues per sender and lets out `--mps` (50) a second: 09:00 to the last text
 *      leaving its queue against the N-MPS ideal, lost, duplicated and inside quiet hours.
 *      `--only burst` runs this section alone and updates it (and its goal) in bench/results.md;
 *      `--sustained 3000:10` adds a run at a rate the machine's senders keep up with.
 *      `--only warm` runs section 4 alone and updates it (and its goals) in place.
 *   `--only bundles` runs section 1 alone and updates it (and its goals) in place.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type Metafile } from 'esbuild';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const { PROJECT_ROOT } = await import('../infra/constructs/soft-partner-function.js');
const { lambdaBuildOptions } = await import('../test/support/bundles.js');

const argument = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
// `--only warm`: runs section 4 alone and puts it, and its goals, in place in bench/results.md.
if (argument('--only') === 'warm') {
  const { startDynamoDbLocal } = await import('#local/dynamodb-local.js');
  const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  if (local) process.env.DYNAMODB_ENDPOINT = local.endpoint;
  const { warmReplies } = await import('./warm-reply.js');
  const warm = await warmReplies();
  await local?.close();
  putInPlace('## 4. ', '## 5. ', warmSection(warm), warmGoals(warm));
  process.exit(0);
}
// `--only burst`: runs section 5 alone and puts it, and its goal, in place in bench/results.md.
if (argument('--only') === 'burst') {
  const { burst, burstGoal, burstSection } = await import('./burst.js');
  const run = await burst({
    members: Number(argument('--members') ?? 10_000),
    messagesPerSecond: Number(argument('--mps') ?? 50),
  });
  // `--sustained <members>:<mps>`: a second run at a rate the machine's senders keep up with.
  const [sustainedMembers, sustainedMps] = (argument('--sustained') ?? '').split(':').map(Number);
  const sustained =
    sustainedMembers && sustainedMps
      ? await burst({ members: sustainedMembers, messagesPerSecond: sustainedMps })
      : undefined;
  putInPlace('## 5. ', '## Goals', burstSection(run, loadavg(), sustained), [burstGoal(run, sustained)]);
  process.exit(0);
}
const out = mkdtempSync(join(tmpdir(), 'soft-partner-bench-'));
const lines: string[] = [];
const say = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

// 1. Bundles
const entries = [
  ['floor (one DynamoDB call)', join(PROJECT_ROOT, 'bench', 'floor.ts')],
  ...['enroll', 'inbound-sms', 'dispatch', 'inbound-email', 'email-links', 'email-events', 'self-serve'].map(
    (name) => [name, join(PROJECT_ROOT, 'functions', `${name}.ts`)],
  ),
] as const;
const bundles = await buildBundles(out);
// `--only bundles`: runs section 1 alone and puts it, and its goals, in place in bench/results.md.
if (argument('--only') === 'bundles') {
  rmSync(out, { recursive: true, force: true });
  putInPlace('## 1. ', '## 2. ', bundleSection(bundles), bundleGoals(bundles));
  process.exit(0);
}
const floor = bundles[0];
say(`# Bench results`);
say();
say(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}.`,
);
say();
for (const line of bundleSection(bundles)) say(line);

// 2. Cold import
say();
say('## 2. Cold import (median of 20 fresh node processes)');
say();
say('| bundle | median | × floor |');
say('| --- | ---: | ---: |');
const coldImports = new Map<string, number>();
for (const bundle of bundles) {
  const times: number[] = [];
  for (let run = 0; run < 20; run++) {
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(bundle.file)});console.log(performance.now()-t)`,
      ],
      { env: { ...process.env, AWS_REGION: 'us-east-1', POWERTOOLS_DEV: 'false' }, encoding: 'utf8' },
    );
    times.push(Number(output.trim().split('\n').at(-1)));
  }
  coldImports.set(bundle.name, median(times));
}
const floorCold = coldImports.get(floor?.name ?? '') ?? 1;
for (const [name, time] of coldImports)
  say(`| ${name} | ${time.toFixed(0)} ms | ${(time / floorCold).toFixed(2)} |`);

// 3. Templates
const { renderEmail } = await import('#templates/email/render.js');
const { sampleEmailValues } = await import('#templates/email/samples.js');
const { emailTemplateNames, emailTemplateFile } = await import('#templates/email/subjects.js');
const mjmlStarted = performance.now();
const { default: mjml2html } = await import('mjml');
const mjmlImport = performance.now() - mjmlStarted;
say();
say(`## 3. Email rendering at send time (importing mjml alone: ${mjmlImport.toFixed(0)} ms)`);
say();
say('| template | fill (ours) | mjml at run time | × |');
say('| --- | ---: | ---: | ---: |');
const renderTimes: number[] = [];
for (const name of emailTemplateNames) {
  const iterations = 2000;
  const started = performance.now();
  for (let index = 0; index < iterations; index++) renderEmail(name, sampleEmailValues);
  const ours = ((performance.now() - started) / iterations) * 1000;
  renderTimes.push(ours);
  const path = join(PROJECT_ROOT, 'templates', 'email', `${emailTemplateFile(name)}.mjml`);
  const source = readFileSync(path, 'utf8');
  const times: number[] = [];
  for (let index = 0; index < 5; index++) {
    const t = performance.now();
    await mjml2html(source, { filePath: path, validationLevel: 'soft' });
    times.push(performance.now() - t);
  }
  const theirs = median(times) * 1000;
  say(
    `| ${name} | ${ours.toFixed(1)} µs | ${(theirs / 1000).toFixed(1)} ms | ${(theirs / ours).toFixed(0)} |`,
  );
}

// 4 and 5 run on one DynamoDB Local (in memory, a table each), or on the DynamoDB API at DYNAMODB_ENDPOINT.
const { startDynamoDbLocal } = await import('#local/dynamodb-local.js');
const dynamoDbLocal = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
if (dynamoDbLocal) process.env.DYNAMODB_ENDPOINT = dynamoDbLocal.endpoint;

// 4. Warm reply
const { warmReplies } = await import('./warm-reply.js');
const warm = await warmReplies();
say();
for (const line of warmSection(warm)) say(line);

// 5. Burst
const members = Number(argument('--members') ?? 10_000);
const messagesPerSecond = Number(argument('--mps') ?? 50);
const { burst, burstGoal, burstSection } = await import('./burst.js');
const run = await burst({ members, messagesPerSecond });
say();
for (const line of burstSection(run, loadavg())) say(line);

// Goals
const coldRatios = [...coldImports.entries()]
  .filter(([name]) => name !== floor?.name)
  .map(([, time]) => time / floorCold);
const goals: Goal[] = [
  ...bundleGoals(bundles),
  [
    'cold import ≤ 1.3× the floor',
    `worst ${worst(coldRatios).toFixed(2)}×`,
    worst(coldRatios) <= 1.3,
    'evaluating what a bundle carries beyond the floor: the Scheduler and SES v2 clients, postal-mime, the phone-number metadata, our own modules',
  ],
  [
    'send-time render ≤ 50 µs per email',
    `slowest ${worst(renderTimes).toFixed(1)} µs`,
    worst(renderTimes) <= 50,
    'the templates are compiled at build time; filling one is string work',
  ],
  ...warmGoals(warm),
  burstGoal(run),
];
say();
say('## Goals');
say();
say('| goal | measured | met | note |');
say('| --- | --- | :---: | --- |');
for (const goal of goals) say(goalRow(goal));
say();
say('What holds the DynamoDB calls where they are (a reply: 3; a plain check-in: 3):');
say();
for (const line of [
  '- A reply (YES, GRACE, a need, a win, STOP: 3): the raw message and its claim are one write (before',
  "  anything is interpreted); one Query of the phone's partition reads the memberships, the setup, the",
  "  person record and each membership's snapshot of what a reply needs; one TransactWriteItems holds the",
  "  answer, a grace token, a need and its forward's news slot, STOP's person record and memberships, the",
  "  events, the partners' news, the snapshot's revision checks, the refreshed snapshot and the completion",
  '  (shared/adapters/dynamodb/reply-turn.ts; docs/data-model.md). A snapshot that no longer holds costs',
  '  that reply two more (it reads the partnership and writes again), once.',
  '- A send (3): the partnership read with its news (1); one TransactWriteItems just before the provider',
  "  call that decides the send, each part with its own condition: the step's claim, the check-in (one a",
  "  day), the text counted against the member's and the deployment's daily caps, consent (a condition on",
  "  the person record) and the text's claim (1); then one TransactWriteItems: the text and the step done,",
  "  the news removed, the prompt and the phone's snapshot (1) (shared/adapters/dynamodb/send-turn.ts). A",
  '  decision the table refuses (a duplicate delivery, a cap reached, consent withdrawn) writes nothing and',
  '  the step runs again write by write, as before.',
])
  say(line);

/** A goal: what it asks, what was measured, whether it was met, a note. */
type Goal = [string, string, boolean, string];

/** A goal's row in the Goals table. */
function goalRow([goal, measured, met, note]: Goal): string {
  return `| ${goal} | ${measured} | ${met ? 'yes' : '**no**'} | ${note} |`;
}

/** Puts one section (from its heading to the next) and its goals' rows in place in bench/results.md. */
function putInPlace(heading: string, next: string, section: string[], goals: Goal[]): void {
  const file = join(PROJECT_ROOT, 'bench', 'results.md');
  const results = readFileSync(file, 'utf8');
  const start = results.indexOf(heading);
  const end = results.indexOf(next);
  if (start < 0 || end < start) throw new Error(`bench/results.md has no "${heading}" before "${next}"`);
  const byName = new Map(goals.map((goal) => [goal[0], goal]));
  const rest = results
    .slice(end)
    .split('\n')
    .map((line) => {
      const goal = byName.get(line.split(' | ')[0]?.replace(/^\| /, '') ?? '');
      return goal ? goalRow(goal) : line;
    });
  writeFileSync(file, `${results.slice(0, start)}${section.join('\n')}\n\n${rest.join('\n')}`);
  process.stdout.write(`${section.join('\n')}\nWritten to bench/results.md (${heading}… and its goals)\n`);
}

/** A bundle built for section 1: its name, where it was written, its size and its largest packages. */
interface Bundle {
  name: string;
  file: string;
  bytes: number;
  top: string;
}

/** Builds the floor (first) and every Lambda bundle (`entries`) into `out`, as SoftPartnerFunction builds them. */
async function buildBundles(out: string): Promise<Bundle[]> {
  const bundles: Bundle[] = [];
  for (const [name, entry] of entries) {
    const file = join(out, `${name.split(' ')[0]}.mjs`);
    const result = await build({
      ...lambdaBuildOptions,
      entryPoints: [entry],
      outfile: file,
      metafile: true,
      logLevel: 'silent',
    });
    const output = Object.values(result.metafile.outputs)[0] as Metafile['outputs'][string];
    const byPackage = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = match?.[1] ?? input.split('/')[0] ?? input;
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`)
      .join(', ');
    bundles.push({ name, file, bytes: readFileSync(file).length, top });
  }
  return bundles;
}

/** Section 1's lines: each bundle's size beside the floor's, and what weighs most in it. */
function bundleSection(bundles: Bundle[]): string[] {
  const floor = bundles[0]?.bytes ?? 1;
  return [
    '## 1. Bundles (minified ESM, AWS SDK bundled)',
    '',
    '| bundle | size | × floor | top contributors |',
    '| --- | ---: | ---: | --- |',
    ...bundles.map(
      (bundle) =>
        `| ${bundle.name} | ${kb(bundle.bytes)} | ${(bundle.bytes / floor).toFixed(2)} | ${bundle.top} |`,
    ),
    '',
    "The floor (bench/floor.ts): a Lambda that makes one GetItem and nothing else, its client made by shared/adapters/dynamodb/repository.ts alone (none of the store), bundled as ours are. Each function's store is composed of the repositories its use cases ask for (shared/runtime): enroll 4, self-serve 5, email-events 4, inbound-email and email-links 12 of 13 (a conversation by email asks for every port but the delivery reports: ConversationStorePort); inbound-sms and dispatch carry the whole store their turns work on.",
  ];
}

/** The goals section 1 measures. */
function bundleGoals(bundles: Bundle[]): Goal[] {
  const floor = bundles[0]?.bytes ?? 1;
  const functions = bundles.slice(1);
  const inboundSms = bundles.find((bundle) => bundle.name === 'inbound-sms')?.bytes ?? 0;
  return [
    [
      'every bundle ≤ 600 KB',
      `largest ${kb(worst(functions.map((bundle) => bundle.bytes)))}`,
      functions.every((bundle) => bundle.bytes <= 600 * 1024),
      'asserted in test/infra/bundle-contents.test.ts',
    ],
    [
      'inbound SMS ≤ 1.5× the floor',
      `${(inboundSms / floor).toFixed(2)}×`,
      inboundSms <= 1.5 * floor,
      inboundSms <= 1.5 * floor
        ? 'asserted in test/infra/bundle-contents.test.ts'
        : 'what holds it back: beyond the floor it carries our reply code (the grammar and its vocabulary, the conversation, the reply turn, the Scheduler calls of STOP; about 118 KB), zod (29 KB) and Powertools Logger and Metrics (32 KB), kept as the maintained libraries the guide asks for; test/infra/bundle-contents.test.ts asserts ≤ 1.55× so it grows no further',
    ],
  ];
}

/** The largest of some figures. */
function worst(values: number[]): number {
  return Math.max(...values);
}

type Warm = Awaited<ReturnType<typeof import('./warm-reply.js').warmReplies>>;

/** Section 4's lines: each reply's requests and times beside the same raw requests. */
function warmSection(warm: Warm): string[] {
  return [
    '## 4. Warm replies against DynamoDB Local (200 members each)',
    '',
    'Each member sends YES, GRACE, a need, a win and STOP, in that order, on one day. The floor: the same raw requests as the reply (the same number and kinds, in order: for a reply UpdateItem, Query, TransactWriteItems), one after another on the same client, each on an item of its own. The goal is measured against it. A second floor, "same items", sends each reply’s own requests as the reply sent them (the same items, sizes and expressions: the transaction’s 7 to 10 items, the claim’s raw form, the Query of the phone’s partition), on items of their own and with conditions that hold: what DynamoDB Local takes for exactly what the reply asks. Between the two floors is DynamoDB Local’s time for the reply’s larger requests; between the second floor and the reply, ours (our code, the SDK’s marshalling of the larger items, and STOP’s schedule requests, which go to the scheduler and are in neither floor).',
    '',
    '| reply | DynamoDB calls | requests | p50 | floor p50 | × | p99 | floor p99 | × | same-items floor p50 | × |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...warm.replies.map(
      (row) =>
        `| ${row.name} | ${row.calls} | ${row.requests} | ${row.p50.toFixed(1)} ms | ${row.rawP50.toFixed(1)} ms | ${(row.p50 / row.rawP50).toFixed(2)} | ${row.p99.toFixed(1)} ms | ${row.rawP99.toFixed(1)} ms | ${(row.p99 / row.rawP99).toFixed(2)} | ${row.sameP50.toFixed(1)} ms | ${(row.p50 / row.sameP50).toFixed(2)} |`,
    ),
    '',
    `A plain scheduled check-in (one text, the sender) makes ${warm.dispatchCalls} DynamoDB calls. Both counts are asserted in test/integration/dynamodb-calls.test.ts.`,
  ];
}

/** The goals section 4 measures. */
function warmGoals(warm: Warm): Goal[] {
  return [
    [
      'warm reply ≤ 1.5× the same raw calls (p50)',
      `worst ${worst(warm.replies.map((row) => row.p50 / row.rawP50)).toFixed(2)}×`,
      warm.replies.every((row) => row.p50 / row.rawP50 <= 1.5),
      'most of the gap is DynamoDB Local’s time for the reply’s larger requests (a transaction of 7 to 10 items against 1; see the same-items floor); STOP also makes 3 schedule requests that no floor has',
    ],
    [
      '≤ 3 DynamoDB calls per reply',
      `${worst(warm.replies.map((row) => row.calls))}`,
      warm.replies.every((row) => row.calls <= 3),
      'see below',
    ],
    ['≤ 3 DynamoDB calls per scheduled send', `${warm.dispatchCalls}`, warm.dispatchCalls <= 3, 'see below'],
  ];
}

mkdirSync(join(PROJECT_ROOT, 'bench'), { recursive: true });
writeFileSync(join(PROJECT_ROOT, 'bench', 'results.md'), `${lines.join('\n')}\n`);
rmSync(out, { recursive: true, force: true });
await dynamoDbLocal?.close();
process.stdout.write('Written to bench/results.md\n');
process.exit(0);
