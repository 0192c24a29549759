import type { StepRunners } from '../context.js';
import { boardDigest } from './board-digest.js';
import { charter } from './charter.js';
import { checkIn } from './check-in.js';
import { decisionEmail } from './decision-email.js';
import { emailReply } from './email-reply.js';
import { invitation } from './invitation.js';
import { invitationLapse } from './invitation-lapse.js';
import { notify } from './notify.js';
import { proposalStands } from './proposal-stands.js';
import { resume } from './resume.js';

/** What each kind of step does when it is due (shared/domain/scheduled-step.ts lists the kinds). */
export const stepRunners: StepRunners = {
  check_in: checkIn,
  notify,
  resume,
  invitation,
  invitation_lapse: invitationLapse,
  board_digest: boardDigest,
  decision_email: decisionEmail,
  email_reply: emailReply,
  charter,
  proposal_stands: proposalStands,
};
