/** The small pages our email links open: what they say, and the charter a text links to. */
import { charterFor } from '#shared/domain/charter.js';
import type { ConversationStorePort } from '#shared/domain/ports.js';
import { parseCharterToken } from '#shared/domain/signed-tokens.js';

/** Which endpoint a link was opened on: the one-click unsubscribe, the way back from it, or an email button. */
export type LinkKind = 'unsubscribe' | 'resubscribe' | 'action';

/** What the small page says; `confirm` is the button that applies the link (a GET never does). */
export interface LinkPage {
  status: number;
  title: string;
  message: string;
  confirm?: string;
  /** A further link the page offers (a path on this site), such as the way back after an unsubscribe. */
  link?: { text: string; href: string };
  /** Why nothing was applied, for the log (never personal data). */
  outcome: string;
}

export const refused = (status: number, title: string, message: string, outcome: string): LinkPage => ({
  status,
  title,
  message,
  outcome,
});

export const notValid = (reason: string) =>
  refused(
    reason === 'expired' ? 410 : 400,
    reason === 'expired' ? 'This link has expired' : 'This link does not work',
    reason === 'expired'
      ? 'Links in our emails work for a few days. Reply to the latest email or text instead, and we will take it from there.'
      : 'The link may have been cut short when it was copied. Open it again from the email, or simply reply to the email.',
    `rejected:${reason}`,
  );

/** GET /charter/{token}: the member's one-page charter as it stands now (the link a text carries). */
export async function showCharter(
  deps: { store: ConversationStorePort; linkSecret: string },
  token: string,
): Promise<LinkPage> {
  const reference = parseCharterToken(deps.linkSecret, token);
  if (!reference) return notValid('bad_signature');
  const found = await deps.store.getPartnership(reference.partnershipId);
  const member = found?.members.find((each) => each.id === reference.memberId);
  if (!found || !member)
    return refused(
      404,
      'We could not find you',
      'This partnership no longer exists.',
      'rejected:unknown_member',
    );
  const charter = charterFor(found.partnership, found.members, member);
  const rows: Array<[string, string]> = [
    ['Your goal', member.goal],
    ["Everyone's goals", charter.goals.join('; ')],
    ['Our values', charter.values],
    ['Cadence', charter.cadence],
    ['Channels', charter.channels],
    ['Grace', charter.gracePolicy],
    ['Setbacks', charter.setbacks],
    ['Wins', charter.wins],
    ['Quiet hours', charter.quietHours],
  ];
  return {
    status: 200,
    title: `Your charter, ${member.name}`,
    message: rows.map(([label, text]) => `${label}: ${text}`).join('\n\n'),
    outcome: 'charter',
  };
}
