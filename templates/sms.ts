/**
 * Every SMS Soft Partner sends, in one place. The voice: a partner who is glad to hear from you,
 * never a supervisor. We talk about support, rest and grace; never about failing or missing.
 *
 * Placeholders and the longest value each can take (test/unit/sms-copy checks every text still fits
 * one GSM-7 segment, 160 characters, with all of them at their longest):
 *   {name} {partner}  a member's name, 24      {goal}  a goal, 60
 *   {need} {win}      a member's words, 70     {date}  a day such as "Fri 12 Dec", 10
 *   {next}            "Tue 12 Dec 08:30", 16   {left} {day} {days} {mood}  a number, 2
 *   {organiser}       how to reach the organiser, 40
 *   {time} {start} {end}  "07:45", 5           {choice}  "continue", "tweak things", "take a pause", 18
 *   {offer}           a member's words, 70     {board}  the support board in a line, 100
 *   {keeper}          a member's name, 24      {circle}  "Ada, Ben and Cy", 50
 *   {prompts}         weekly chat prompts, 48  {with}  a partner's name, "your team" or "your circle", 24
 *   {link}            a charter link, 100   {text}  a partner's words inside news, 40
 *   {first} {second}  two goals to choose between, 30 each   {count}  a number, 1
 *   {list}            a person's trials in a line, 130
 *
 * A check-in is one text that carries the day's news after its question (`newsPhrases`, one line each,
 * as many as fit the segment: see shared/domain/message-budget.ts); `checkInShort` holds the shorter
 * questions used when the full one leaves no room for the news that is waiting.
 */
export const smsCopy = {
  // Joining
  invitation:
    'Hi {name}! {partner} invited you to a 14-day Soft Partner trial: a 1-minute daily check-in. Reply YES to join, STOP to opt out.',
  invitationReminder: 'Hi {name}, reply YES to join your Soft Partner trial, or STOP to opt out.',
  invitationLapsed:
    "{partner} hasn't joined yet, {name}. We won't text them again, but if they reply YES later, they're in.",
  joined: 'Welcome aboard, {name}! Your daily check-ins start tomorrow. Reply HELP anytime.',
  joinedWaiting: 'Welcome aboard, {name}! We start as soon as everyone has said yes. Reply HELP anytime.',

  // The daily check-in and its answers
  checkIn: 'Still on track for "{goal}" today, {name}? Reply YES, or GRACE for a no-guilt pass.',
  day1: 'Day 1 of 14, {name}: "{goal}". Reply YES when on track, GRACE for a no-guilt pass.',
  day3: 'Day 3, {name}! Still on track? Reply YES or GRACE. And what feels easy, what feels hard so far?',
  day14: 'Day 14, {name}: thank you for showing up. What next? Reply CONTINUE, TWEAK or PAUSE.',
  charterLink: 'Your one-page charter, {name}: {link}',
  day7: 'Halfway, {name}! What is working, what needs a tweak? And how supported do you feel, 1 (pressured) to 5?',
  /** A team's daily stand-up asks about support, never about status. */
  standUp:
    'What support do you need today, {name}? Reply YES if all set, GRACE for a pass, NEED + what helps, or OFFER + help you can give.',
  reflectionThanks:
    "Thank you, {name}. Noted in your own words; you'll see them again in your Day-14 summary.",
  supportScore:
    'Thank you, {name}. Noted {mood}/5 for how supported you feel. Reply with anything you would tweak.',
  onTrack: 'Lovely, {name}. Noted for today. Keep it gentle.',
  notToday:
    'No worries, {name}. Some days are like that. Reply GRACE for a no-guilt day off, or tell us what would help.',
  graceSpent: 'Grace taken, no guilt. Rest up, {name}. You have {left} grace left this month.',
  graceNoneLeft:
    "That's okay, {name}. Your grace is used up this month. Reply PAUSE 2 to rest, or tell {partner} what you need.",
  mood: 'Thanks for sharing, {name}. Noted {mood}/5 for today.',
  clarify:
    "Thanks, {name}! I didn't quite get that. Reply YES, GRACE, NEED + what would help, PAUSE 2 or HELP.",

  // Asking for support: "what I need from you today"
  needReceived: "Got it, {name}. I've passed that on to {partner}.",
  needForward: '{partner} could use a hand: "{need}". Reply ON IT if you can help.',
  needOnItThanks: "Thank you, {name}! {partner} will hear that you're on it.",
  needOnIt: "{partner}'s on it. Help is on the way, {name}.",
  noOpenNeed: "Thanks, {name}! Nobody has an open request right now. We'll let you know.",

  // Teams: the support board, the cadence keeper, peer circles
  needOnBoard: "Got it, {name}. It's on the support board; the team sees it in today's digest.",
  offerReceived: 'Thank you, {name}! Your offer of help is passed on to {partner}.',
  offerForward: '{partner} offers a hand: "{offer}". Reply NEED + what would help.',
  board: 'Support board: {board}. Reply ON IT to take on a need.',
  boardQuiet: 'Support board: all calm today. Reply NEED + what helps, or OFFER + help you can give.',
  /** On weekly-chat days the nudge is the check-in itself: one text, not two. */
  weeklyChatCheckIn: 'Chat week, {name}: book 20 min with {with}. Try: {prompts}. Reply YES or GRACE today.',
  circleCheckIn: 'Circle week, {name}: {circle}. Share a win and a need. Reply YES or GRACE for today.',

  // Moving a deadline, by agreement
  deadlineProposed:
    "Okay, {name}. I've asked {partner} to agree to {date}. Your deadline stays as it is until they do.",
  deadlineProposal:
    '{partner} would like to move their deadline to {date}. Reply OK to agree, or reply with another date.',
  deadlineCountered: '{partner} suggests {date} instead. Reply OK to agree, or reply with another date.',
  deadlineAgreed: 'New deadline agreed: {date}. Nice teamwork, {name}.',
  deadlineStands: 'No word in 24 hours, so the new deadline of {date} stands, {name}.',
  deadlinePast: "Let's pick a day from today on, {name}. Try MOVE TO FRIDAY or PUSH 2 DAYS.",

  // Celebrating small wins
  winCelebrate: "That's wonderful, {name}! Well done. I'll share it with {partner}.",
  winShare: '{partner} has a win to share: "{win}". Send them some love!',

  // Pausing without shame
  paused:
    "Rest well, {name}. No check-ins for {days} days. We'll say hello on {date}. Reply RESUME to come back sooner.",
  welcomeBack: 'Welcome back, {name}! Your check-ins carry on from {next}.',
  notPaused: "You're not paused, {name}. Your check-ins carry on as usual.",

  // The Day-14 decision and tweaks
  decidedContinue: 'Wonderful, {name}! Another 14 days together. Your check-ins carry on as they are.',
  decidedTweak: 'Happy to adjust, {name}. Reply TIME 7:45, WEEKDAYS, DAILY, or GOAL and your new goal.',
  decisionStands: 'Your choice is noted already, {name}: your check-ins carry on. Reply PAUSE 2 to rest.',
  decidedPause:
    'Pausing is a fine choice, {name}. No more check-ins, and we keep everything. Reply RESUME anytime.',
  tweakTime: 'Done, {name}: your check-ins now come at {time}, from {next}.',
  tweakQuiet: '{time} is in your quiet hours ({start} to {end}), {name}. Pick another time, e.g. TIME 7:45.',
  quietSet: 'Done, {name}: quiet hours now {start} to {end}. No texts from us then.',
  quietClash: 'Your check-in time {time} would fall in those quiet hours, {name}. Change it first with TIME.',
  tweakWeekdays: 'Done, {name}: check-ins on weekdays only, Monday to Friday.',
  tweakDaily: 'Done, {name}: check-ins every day.',
  tweakGoal: 'Done, {name}: your goal is now "{goal}".',

  // Asking about things
  status: '{name}: {left} grace left this month, day {day} of 14. Next check-in: {next}.',
  help: 'Reply YES, GRACE (day off), NEED + what helps, WIN + good news, PAUSE 2, STATUS or STOP. Questions? {organiser}',

  // Opting out and back in
  stopped: 'You will get no more texts from Soft Partner. Reply START to come back anytime.',
  restarted: 'Welcome back, {name}! Your check-ins carry on. Reply STOP to opt out.',
  partnerStepped: '{partner} has stepped away from texts for now. Your check-ins carry on as usual.',

  // ── Asking before acting on a reading we inferred (issue 16) ──────────────────────────────────
  // Answers to the member's own text: a distinct word (SEND), never YES, which means on track.
  confirmNeed: 'Pass this on to {partner}: "{need}"? Reply SEND or NO.',
  confirmOffer: 'Offer this to {partner}: "{offer}"? Reply SEND or NO.',
  confirmWin: 'Share this win with {partner}: "{win}"? Reply SEND or NO.',
  confirmDeadline: 'Ask {partner} to move your deadline to {date}? Reply SEND or NO.',
  confirmDeclined: 'Okay, {name}: nothing sent, nothing changed. Reply HELP to see what you can text.',
  confirmNothing: 'Nothing is waiting to be sent, {name}. Reply NEED + what would help, or WIN + good news.',
  pauseHowLong: 'A rest sounds wise, {name}. How many days would help? Reply a number up to 7, or PAUSE 3.',
  pauseAsk: 'Would a rest help, {name}? Reply PAUSE {days} for no check-ins until {date}, or carry on.',
  deadlineStillAsked:
    '{partner} would still like {date} as the new deadline, {name}. Reply OK to agree, or another date. No rush.',
  deadlineStillWaiting:
    'No word yet on {date}, {name}. The deadline stays as it was until {partner} agrees; we asked once more, gently.',
  pausedOneDay:
    "Rest well, {name}. A day off check-ins; we'll say hello on {date}. Reply RESUME to come back sooner.",
  // One person in several trials: an invitation never takes a YES meant for a check-in
  invitationJoin: '{partner} asks you to a 2nd trial: "{goal}". Reply JOIN to add it, STOP to opt out.',
  choosePrompt: 'Which one, {name}? Start with its number: 1 for "{first}", 2 for "{second}". E.g. 2 YES.',
  yourTrials: 'You are in {count} trials: {list}.',
} as const;

export type SmsTemplate = keyof typeof smsCopy;

/** The longest value of each placeholder that is not a name or a goal (see the table above). */
export const PLACEHOLDER_MAX_LENGTH = {
  need: 70,
  win: 70,
  date: 10,
  next: 16,
  organiser: 40,
  left: 2,
  day: 2,
  days: 2,
  mood: 2,
  time: 5,
  start: 5,
  end: 5,
  choice: 18,
  offer: 70,
  board: 100,
  keeper: 24,
  circle: 50,
  prompts: 48,
  with: 24,
  link: 100,
  text: 40,
  first: 30,
  second: 30,
  count: 1,
  list: 130,
} as const;

/**
 * More ways to say the answers a member hears most, and the team stand-up. The first of each is the
 * template in `smsCopy`; which one a member reads is rotated day by day (shared/domain/phrasing.ts), so
 * nobody reads the same words day after day. Each is checked like every other text (one segment, GSM-7,
 * no shaming word) by test/unit/phrasing.test.ts.
 */
export const smsPhrasings = {
  onTrack: [
    smsCopy.onTrack,
    'Got it, {name}: noted for today. Nice and steady.',
    'Thanks, {name}! Noted. Small steps add up.',
    'Noted, {name}. Glad today is moving along.',
    'Lovely to hear, {name}. One more gentle day done.',
  ],
  mood: [
    smsCopy.mood,
    'Thank you for telling us, {name}. Noted {mood}/5 for today.',
    'Got it, {name}. Noted {mood}/5 for today. Be kind to yourself.',
    'Thanks, {name}. Noted {mood}/5 for today, in your words.',
    'Thank you, {name}. Noted {mood}/5; tomorrow is a fresh page.',
  ],
  graceSpent: [
    smsCopy.graceSpent,
    'Grace taken, {name}. Enjoy the rest, no guilt. {left} grace left this month.',
    'Grace taken: rest well, {name}, that is what it is for. {left} grace left this month.',
    'Grace taken, no guilt, {name}. Be easy on yourself. {left} grace left this month.',
  ],
  winCelebrate: [
    smsCopy.winCelebrate,
    'Yes, {name}! What a win. {partner} will hear it in your words.',
    'Well done, {name}! That is worth a smile. Passing it on to {partner}.',
    'Brilliant, {name}! A win is a win. {partner} will hear about it.',
  ],
  needReceived: [
    smsCopy.needReceived,
    "Thanks for asking, {name}. I've passed that on to {partner}.",
    "Asking is a strength, {name}. I've passed that on to {partner}.",
  ],
  standUp: [
    smsCopy.standUp,
    'How can the team help today, {name}? Reply YES if all set, GRACE for a pass, NEED + what helps, or OFFER + help you can give.',
    'Anything the team can do for you today, {name}? Reply YES if all set, GRACE for a pass, NEED + what helps, or OFFER + a hand.',
    'What would help today, {name}? Reply YES if all set, GRACE for a pass, NEED + what helps, or OFFER + help you can give.',
  ],
} as const satisfies Partial<Record<SmsTemplate, readonly string[]>>;

/** One phrasing of a template, by index (wrapping); templates without phrasings have one. */
export function phrasing(template: SmsTemplate, index: number): string {
  const all: readonly string[] =
    template in smsPhrasings ? smsPhrasings[template as keyof typeof smsPhrasings] : [smsCopy[template]];
  return all[index % all.length] ?? smsCopy[template];
}

/** How many phrasings a template has. */
export function phrasingCount(template: SmsTemplate): number {
  return template in smsPhrasings ? smsPhrasings[template as keyof typeof smsPhrasings].length : 1;
}

/** The shorter questions a check-in falls back to when the news waiting for it would not fit. */
export const checkInShort = {
  checkIn: 'Still on track today, {name}? Reply YES or GRACE.',
  standUp: 'What support today, {name}? Reply YES, GRACE, NEED + what or OFFER + what.',
  day1: 'Day 1 of 14, {name}! Reply YES when on track, or GRACE.',
} as const satisfies Partial<Record<SmsTemplate, string>>;

/**
 * The lines of news a check-in carries, one each. Support, never a roll call: a pair hears that the
 * other checked in (once a day at most); a team never hears who is on track, only a weekly line about
 * the team as a whole. Every line is about someone else: nobody is told their own news.
 */
export const newsPhrases = {
  on_track: '{name} checked in.',
  grace: '{name} took a grace day; a kind word goes a long way.',
  win: '{name} has a win: "{text}"',
  offer: '{name} can help: "{text}"',
  on_it: '{name} is on your need.',
  decision: '{name} chose to {text}.',
  started: 'Everyone is in: your 14 days start today.',
  unreachable: "Our texts can't reach {name} right now; a hello another way may be welcome.",
  keeperYou: "You're the cadence keeper this week: a kind look at the board.",
  keeperIs: "{name} is this week's cadence keeper.",
  teamWeek: 'The team checked in {text} times this week.',
  reviewReminder: 'No rush: whenever you like, reply CONTINUE, TWEAK or PAUSE.',
} as const;

/** Fills a template. Values are plain text; SMS has no markup to escape. */
export function renderSms(template: SmsTemplate, values: Record<string, string | number> = {}): string {
  return fill(smsCopy[template], values);
}

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** Shortens a member's own words to fit a template, on a word boundary where possible. */
export function excerpt(text: string, max: number = PLACEHOLDER_MAX_LENGTH.need): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 3);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}...`;
}
