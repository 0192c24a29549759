/**
 * `npm run demo` (and `npm run demo -- --team 5`; `--help` for every option): a scripted 14-day trial on the embedded local stack,
 * in virtual time, through the same HTTP surface a user drives. Writes `out/demo/transcript.md` (every
 * text and email, at each member's local time) and every email as HTML under `out/demo/emails/`, checks
 * what a trial must show, and exits 0 only if every expectation held.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';

const USAGE = `Usage: npm run demo -- [options]

Plays a scripted 14-day trial on the embedded local stack, in virtual time, and checks what a trial
must show; exits 0 only if every expectation held.

Options:
  --team <n>    a team of n members (3 to 8) instead of a pair
  --out <dir>   where to write transcript.md and the emails as HTML (default: out/demo)
  -h, --help    print this and exit
`;

// Read before the stack starts, so --help and a mistyped option answer at once.
const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        team: { type: 'string' },
        out: { type: 'string', default: 'out/demo' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

// The handlers log every step at INFO; a demo wants its own output only.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { startLocalStack } = await import('#local/stack.js');

const API_KEY = 'demo-api-key';
const TWILIO_AUTH_TOKEN = 'demo-twilio-token';
// February: no clock change and no month boundary inside the fortnight; each day's replies come at 20:00 UTC,
// after every member's check-in that day.
const START = '2026-02-02T20:00:00Z';

interface DemoMember {
  name: string;
  phone: string;
  timezone: string;
  checkInTime: string;
  goal: string;
  email?: string;
  checkInBy?: 'sms' | 'email';
}

const PAIR: DemoMember[] = [
  {
    name: 'Ada',
    phone: '+12125550101',
    timezone: 'America/New_York',
    checkInTime: '08:30',
    goal: 'write 300 words',
    email: 'ada@demo.example',
    checkInBy: 'email',
  },
  { name: 'Ben', phone: '+447911123456', timezone: 'Europe/London', checkInTime: '19:00', goal: 'run 3 km' },
];

const TEAM: DemoMember[] = [
  PAIR[0] as DemoMember,
  { ...(PAIR[1] as DemoMember), checkInTime: '08:00' },
  {
    name: 'Cy',
    phone: '+13125550199',
    timezone: 'America/Chicago',
    checkInTime: '09:00',
    goal: 'stretch daily',
  },
  {
    name: 'Di',
    phone: '+12125550123',
    timezone: 'America/Los_Angeles',
    checkInTime: '07:30',
    goal: 'read a chapter',
  },
  { name: 'Ed', phone: '+12125550124', timezone: 'Asia/Tokyo', checkInTime: '12:00', goal: 'practise piano' },
  {
    name: 'Flo',
    phone: '+12125550125',
    timezone: 'Europe/Paris',
    checkInTime: '07:45',
    goal: 'learn 10 words',
  },
  { name: 'Gus', phone: '+12125550126', timezone: 'Australia/Sydney', checkInTime: '18:00', goal: 'sketch' },
  {
    name: 'Hal',
    phone: '+12125550127',
    timezone: 'America/Denver',
    checkInTime: '08:15',
    goal: 'walk 5k steps',
  },
];

/** What each member says on each day (everyone else says YES). Words a real person might send. */
const SCRIPT: Record<number, Record<string, string>> = {
  2: { Ben: 'yes! need a pep talk about the hill at km 2' },
  3: { Ada: 'Mornings feel easy, evenings are hard', Ben: 'The runs are easy, getting out the door is hard' },
  4: { Ada: 'on it', Cy: 'I can help with stretching routines' },
  5: { Ben: 'grace' },
  7: { Ada: '4', Ben: 'The daily text is working. 5' },
  9: { Ada: 'WIN 2,000 words this week!', Di: 'need a quiet hour on Sunday' },
  11: { Ben: 'mood 3' },
  14: { Ada: 'continue', Ben: 'pause' },
};

interface OutboxSms {
  to: string;
  body: string;
  at: string;
  direction: string;
}
interface OutboxEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo: string | null;
  at: string;
}
interface Line {
  at: string;
  who: DemoMember;
  channel: 'SMS' | 'email';
  direction: 'in' | 'out';
  text: string;
}

const teamSize = args.team === undefined ? 0 : Number(args.team);
if (args.team !== undefined && !(Number.isInteger(teamSize) && teamSize >= 3 && teamSize <= 8)) {
  process.stderr.write('--team takes a team size from 3 to 8\n');
  process.exit(2);
}
const members = teamSize ? TEAM.slice(0, teamSize) : PAIR;
const outDir = resolve(args.out ?? 'out/demo');

function progress(day: number, label: string) {
  const width = 28;
  const done = Math.round((Math.min(day, 15) / 15) * width);
  process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${label.padEnd(24)}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-demo-'));
const stack = await startLocalStack({
  port: 0,
  apiKey: API_KEY,
  twilioAuthToken: TWILIO_AUTH_TOKEN,
  dataDir,
  clockStart: new Date(START),
});
const inbound: Line[] = [];
let now = START;

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}${path}`, init);
  if (response.status >= 500) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status}`);
  return response;
}

async function text(member: DemoMember, body: string) {
  const params = {
    MessageSid: `SMdemo${String(inbound.length).padStart(26, '0')}`,
    AccountSid: `AC${'0'.repeat(31)}1`,
    From: member.phone,
    To: '+15005550006',
    Body: body,
    NumMedia: '0',
  };
  const url = `${stack.url}/webhooks/twilio/sms`;
  inbound.push({ at: now, who: member, channel: 'SMS', direction: 'in', text: body });
  await call('/webhooks/twilio/sms', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

async function outbox() {
  return (await (await call('/local/outbox')).json()) as { sms: OutboxSms[]; email: OutboxEmail[] };
}

/** A plain reply from the member's mail client to the latest email we sent them. */
async function emailReply(member: DemoMember, body: string) {
  const latest = (await outbox()).email.filter((email) => email.to === member.email).at(-1);
  if (!latest?.replyTo) throw new Error(`${member.name} has no email to reply to`);
  inbound.push({ at: now, who: member, channel: 'email', direction: 'in', text: body });
  const raw = [
    `From: ${member.name} <${member.email}>`,
    `To: ${latest.replyTo}`,
    `Subject: Re: ${latest.subject}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
    `On ${DateTime.fromISO(latest.at).toFormat('ccc, d LLL yyyy')}, Soft Partner <${latest.replyTo}> wrote:`,
    `> ${latest.text.split('\n')[0] ?? ''}`,
  ].join('\r\n');
  await call('/local/inbound-email', {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822' },
    body: raw,
  });
}

async function say(member: DemoMember, words: string) {
  if (member.checkInBy === 'email') await emailReply(member, words);
  else await text(member, words);
}

async function advanceTo(at: string) {
  now = at;
  await call('/local/clock/advance', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: at }),
  });
}

const failures: string[] = [];
function expectThat(ok: boolean, what: string) {
  if (!ok) failures.push(what);
}

try {
  // Enroll and join.
  progress(0, 'enrolling');
  const enrolled = await call('/partnerships', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ members }),
  });
  const { id } = (await enrolled.json()) as { id: string };
  expectThat(enrolled.status === 201, `enrollment answered ${enrolled.status}`);
  for (const member of members) await text(member, 'yes');

  // Fourteen days (and one more, to see the decisions land).
  for (let day = 1; day <= 15; day++) {
    await advanceTo(DateTime.fromISO(START).plus({ days: day }).toUTC().toISO() ?? START);
    progress(day, `day ${Math.min(day, 14)} of 14`);
    for (const member of members) {
      if (day === 15) break;
      await say(member, SCRIPT[day]?.[member.name] ?? 'yes');
    }
  }
  progress(15, 'checking');

  // What the trial must show.
  const box = await outbox();
  const state = (await (
    await call(`/partnerships/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } })
  ).json()) as {
    members: Array<{
      name: string;
      status: string;
      graceTokensLeft: number;
      checkIns: Array<{ localDate: string }>;
    }>;
  };
  for (const member of members) {
    const view = state.members.find((each) => each.name === member.name);
    const days = new Set(view?.checkIns.map((each) => each.localDate));
    expectThat(days.size >= 14, `${member.name} had ${days.size} check-ins, expected 14`);
    if (member.email) {
      const subjects = box.email.filter((email) => email.to === member.email).map((email) => email.subject);
      expectThat(
        subjects.some((subject) => subject.startsWith('Day 1 of 14')),
        `${member.name} got no Day 1 email`,
      );
      expectThat(
        subjects.some((subject) => subject.startsWith('Day 14')),
        `${member.name} got no Day 14 email`,
      );
    }
  }
  if (!teamSize) {
    const ben = state.members.find((each) => each.name === 'Ben');
    expectThat(ben?.graceTokensLeft === 1, `Ben has ${ben?.graceTokensLeft} grace left, expected 1`);
    expectThat(ben?.status === 'paused', `Ben is ${ben?.status} after PAUSE, expected paused`);
  } else {
    const keeperTexts = box.sms.filter((sms) => /cadence keeper/.test(sms.body));
    expectThat(keeperTexts.length >= members.length * 2, `${keeperTexts.length} keeper announcements`);
    const boards = box.sms.filter((sms) => sms.body.startsWith('Support board:'));
    expectThat(boards.length > 0, 'no support board digest was sent');
    expectThat(
      box.sms.every((sms) => !/^Still on track/.test(sms.body)),
      'a team stand-up asked about status instead of support',
    );
  }

  // The transcript, at each member's local time, and every email as a file.
  const lines: Line[] = [
    ...inbound,
    ...box.sms.flatMap((sms) => {
      const who = members.find((member) => member.phone === sms.to);
      return who
        ? [{ at: sms.at, who, channel: 'SMS' as const, direction: 'out' as const, text: sms.body }]
        : [];
    }),
    ...box.email.flatMap((email) => {
      const who = members.find((member) => member.email === email.to);
      return who
        ? [{ at: email.at, who, channel: 'email' as const, direction: 'out' as const, text: email.subject }]
        : [];
    }),
  ].sort((a, b) => a.at.localeCompare(b.at));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'emails'), { recursive: true });
  const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const transcript = [
    `# Soft Partner demo: ${teamSize ? `a team of ${teamSize}` : 'a pair'}, 14 days in virtual time`,
    '',
    `Started ${START} (virtual). ${lines.length} messages. Each line shows the member's own local time.`,
    '',
    '| member local time | member | channel | who | message |',
    '| --- | --- | --- | --- | --- |',
    ...lines.map((line) => {
      const local = DateTime.fromISO(line.at, { zone: line.who.timezone }).toFormat('ccc d LLL HH:mm');
      const who = line.direction === 'in' ? `${line.who.name} →` : `→ ${line.who.name}`;
      return `| ${local} (${line.who.timezone}) | ${line.who.name} | ${line.channel} | ${who} | ${cell(line.text)} |`;
    }),
    '',
    failures.length
      ? `## Expectations that did not hold\n\n${failures.map((f) => `- ${f}`).join('\n')}`
      : '## Every expectation held',
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'transcript.md'), transcript);
  box.email
    .filter((email) => members.some((member) => member.email === email.to))
    .forEach((email, index) => {
      const slug = email.subject
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 48)
        .replace(/-$/, '');
      writeFileSync(join(outDir, 'emails', `${String(index + 1).padStart(2, '0')}-${slug}.html`), email.html);
    });
  process.stderr.write('\n');
  process.stdout.write(
    `${lines.length} messages; transcript in ${join(outDir, 'transcript.md')}, emails in ${join(outDir, 'emails')}\n`,
  );
} catch (error) {
  failures.push(`the demo stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
}

if (failures.length) {
  process.stderr.write(`\nExpectations that did not hold:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('Every expectation held.\n');
