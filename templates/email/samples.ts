/**
 * Fixed sample values for every email placeholder: used by `npm run preview:emails` and by the
 * snapshot tests in test/unit/email. Keep them stable; changing one changes every snapshot.
 */
import { type EmailValues, trustedHtml } from './render.js';

const BASE = 'https://softpartner.example/p/ptn_01HSAMPLE';

export const sampleEmailValues = {
  name: 'Ada',
  partner: 'Ben',
  goal: 'write 300 words',
  values: 'Kindness first; progress over perfection; we ask before we advise.',
  cadence: 'Every day at 08:30 (America/New_York)',
  channels: 'Check-ins by text; the charter and reviews by email.',
  setbacks: 'A slip is just information: take a grace day, or tell us what would help.',
  wins: 'Small wins count. Reply WIN and your partner hears it the same day.',
  goalsHtml: trustedHtml(
    '<ul style="margin: 0; padding-left: 20px;"><li>Ada: write 300 words, by Fri 12 Dec</li><li>Ben: run 3 km</li></ul>',
  ),
  goalsText: '- Ada: write 300 words, by Fri 12 Dec\n- Ben: run 3 km',
  gracePolicy: '3 no-guilt grace days each month, no questions asked.',
  quietHours: '22:00 to 07:00: no messages from us then.',
  date: 'Fri 12 Dec',
  choice: 'continue',
  nextSteps: 'Another 14 days together. Your check-ins carry on as they are, at 08:30.',
  summaryHtml: trustedHtml(
    '<ul style="margin: 0; padding-left: 20px;"><li>11 days on track</li><li>2 grace days taken, no guilt</li><li>3 wins shared with Ben</li></ul>',
  ),
  summaryText: '- 11 days on track\n- 2 grace days taken, no guilt\n- 3 wins shared with Ben',
  boardHtml: trustedHtml(
    '<ul style="margin: 0; padding-left: 20px;"><li>Ben could use a hand: "a quiet hour on Sunday"</li><li>Ada has a win to share: "finished chapter two"</li></ul>',
  ),
  boardText:
    '- Ben could use a hand: "a quiet hour on Sunday"\n- Ada has a win to share: "finished chapter two"',
  actionUrlContinue: `${BASE}/decide?choice=continue&token=sample`,
  actionUrlTweak: `${BASE}/decide?choice=tweak&token=sample`,
  actionUrlPause: `${BASE}/decide?choice=pause&token=sample`,
  unsubscribeUrl: `${BASE}/unsubscribe?token=sample`,
  actionUrlYes: `${BASE}/email/action?token=sample-yes`,
  actionUrlGrace: `${BASE}/email/action?token=sample-grace`,
  actionUrlMood1: `${BASE}/email/action?token=sample-mood-1`,
  actionUrlMood2: `${BASE}/email/action?token=sample-mood-2`,
  actionUrlMood3: `${BASE}/email/action?token=sample-mood-3`,
  actionUrlMood4: `${BASE}/email/action?token=sample-mood-4`,
  actionUrlMood5: `${BASE}/email/action?token=sample-mood-5`,
  subject: 'Still on track for "write 300 words" today, Ada?',
  message: 'Lovely, Ada. On track today: Ben will hear the good news. 2 grace days left this month.',
} as const satisfies EmailValues;
