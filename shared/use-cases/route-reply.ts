import { parseReply } from '#shared/domain/conversation/grammar.js';
import type { Intent } from '#shared/domain/conversation/types.js';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type { ConversationStorePort } from '#shared/domain/ports.js';
import { excerpt, PLACEHOLDER_MAX_LENGTH, renderSms } from '#templates/sms.js';

/**
 * Which partnership a text answers, when a person is in several. The open prompt wins (the check-in
 * sent last and not yet answered); an invitation never takes over (joining it takes JOIN); when two open
 * check-ins could be meant, nothing changes until the member chooses with the number we give ("1 YES")
 * or the goal's first word; STATUS and HELP list every partnership.
 */
export type Routed =
  | {
      kind: 'converse';
      partnership: Partnership;
      members: Member[];
      member: Member;
      intents: Intent[];
      text: string;
      /** Said after the partnership's own answer (the list of trials, for STATUS and HELP). */
      after: string[];
    }
  | { kind: 'answered'; member: Member; replies: string[] }
  | { kind: 'silent'; member: Member }
  /** The number is in the middle of a self-serve setup: the setup answers every text (YES, GRACE …). */
  | { kind: 'setup' }
  | { kind: 'unknown' };

interface Entry {
  partnership: Partnership;
  members: Member[];
  member: Member;
}

/** How long an unanswered check-in stays the one a reply is taken to answer. */
const OPEN_PROMPT_HOURS = 36;

export async function routeReply(
  store: ConversationStorePort,
  phone: string,
  text: string,
  intents: Intent[],
  now: Date,
): Promise<Routed> {
  const { memberships, setup } = await store.lookUpPhone(phone);
  if (setup) return { kind: 'setup' };
  const entries: Entry[] = [];
  // One membership (the usual case) reads what it always read; several are all read.
  for (const membership of memberships) {
    const found = await store.getPartnership(membership.partnershipId);
    const member = found?.members.find((each) => each.id === membership.memberId);
    if (found && member) entries.push({ ...found, member });
  }
  const first = entries[0];
  if (!first) return { kind: 'unknown' };
  const present = entries.filter((entry) => entry.member.status !== 'opted_out');
  // After an opt-out we stay silent until START (carriers and Twilio expect the same).
  if (present.length === 0) return { kind: 'silent', member: first.member };
  const converseWith = (entry: Entry, routedIntents = intents, routedText = text, after: string[] = []) =>
    ({ kind: 'converse', ...entry, intents: routedIntents, text: routedText, after }) as const;
  if (present.length === 1 && present[0]) return converseWith(present[0]);

  const kinds = intents.map((intent) => intent.kind);
  const invited = present.filter((entry) => entry.member.status === 'invited');
  const joined = present.filter((entry) => entry.member.status !== 'invited');
  const listing = kinds.includes('status') || kinds.includes('help') ? [trialsList(present)] : [];
  const joining = invited[0];
  if (kinds.includes('join') && joining) return converseWith(joining);
  const open = await openPrompts(store, joined, now);
  const [one, two] = open;
  if (one && two) {
    const chosen = choice(text, open);
    if (chosen) return converseWith(chosen.entry, parseReply(chosen.rest).intents, chosen.rest);
    const asks = kinds.filter((kind) => kind !== 'status' && kind !== 'help');
    if (asks.length > 0 || kinds.length === 0)
      return {
        kind: 'answered',
        member: one.member,
        replies: [
          renderSms('choosePrompt', {
            name: one.member.name,
            first: excerpt(one.member.goal, PLACEHOLDER_MAX_LENGTH.first),
            second: excerpt(two.member.goal, PLACEHOLDER_MAX_LENGTH.second),
          }),
        ],
      };
  }
  const target = one ?? joined[0] ?? invited[0] ?? first;
  return converseWith(target, intents, text, listing);
}

/** Active memberships whose latest check-in is unanswered and recent, in a stable order (by partnership). */
async function openPrompts(store: ConversationStorePort, entries: Entry[], now: Date): Promise<Entry[]> {
  const open: Entry[] = [];
  for (const entry of entries) {
    if (entry.member.status !== 'active') continue;
    const latest = await store.latestCheckIn(entry.partnership.id, entry.member.id);
    if (latest?.status !== 'sent') continue;
    if (now.getTime() - Date.parse(latest.sentAt) > OPEN_PROMPT_HOURS * 3_600_000) continue;
    open.push(entry);
  }
  return inStableOrder(open);
}

/** Oldest partnership first: the numbers a member chooses by do not move between two texts. */
function inStableOrder(entries: Entry[]): Entry[] {
  const order = (entry: Entry) => `${entry.partnership.createdAt}#${entry.partnership.id}`;
  return [...entries].sort((a, b) => order(a).localeCompare(order(b)));
}

/** "1 yes", "2: grace", or "run yes" (the first word of a goal): the chosen check-in and the rest. */
function choice(text: string, open: Entry[]): { entry: Entry; rest: string } | undefined {
  const match = /^\s*([^\s:.,;!?]+)[\s:.,;!?-]*(.*)$/su.exec(text);
  const word = match?.[1]?.toLowerCase() ?? '';
  const rest = match?.[2]?.trim() ?? '';
  const byNumber = /^\d$/.test(word) ? open[Number(word) - 1] : undefined;
  const byGoal = open.filter((entry) => entry.member.goal.trim().split(/\s+/)[0]?.toLowerCase() === word);
  const entry = byNumber ?? (byGoal.length === 1 ? byGoal[0] : undefined);
  return entry && rest ? { entry, rest } : undefined;
}

/** Every partnership of the person in one line: the goal and where it stands. */
function trialsList(entries: Entry[]): string {
  const lines = inStableOrder(entries).map((entry) => {
    const goal = excerpt(entry.member.goal, 24);
    if (entry.member.status === 'invited') return `"${goal}" (invited: reply JOIN)`;
    if (entry.member.status === 'paused') return `"${goal}" (paused)`;
    return `"${goal}"`;
  });
  return renderSms('yourTrials', {
    count: entries.length,
    list: excerpt(lines.join('; '), PLACEHOLDER_MAX_LENGTH.list),
  });
}
