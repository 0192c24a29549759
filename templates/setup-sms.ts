/**
 * The self-serve setup, by text, as data: what a person who wants a partner is asked, one question at a
 * time, and what the people they invite hear. Script A and B of the method are the model: an invitation
 * into a shared process ("happy to adapt"), never a system imposed on anyone.
 *
 * Placeholders and their longest values (test/unit/setup-sms-copy.test.ts proves each text fits one
 * GSM-7 segment with all of them at their longest):
 *   {name} {partner}  a first name, 24       {goal}  a goal, 60 (the invitation: name 16, goal 30)
 *   {time} {start} {end}  "08:30", 5         {place}  a city or zone as said back, 30
 *   {list}  the partners' names, 50          {count}  a number, 1
 */
export const setupCopy = {
  // The person who starts (a stranger's first text, or NEW from a member)
  askName:
    'Hi! Soft Partner sets up a 14-day trial of kind daily check-ins with someone you trust. What is your first name? HELP for more.',
  nameUnclear: "Sorry, I didn't catch a name there. What first name should your partner see? HELP for more.",
  askGoal:
    'Lovely to meet you, {name}! What would you like to work on for the next two weeks? A few words, e.g. "write 300 words". BACK to go back.',
  goalTrimmed: 'I kept the first part of your goal: "{goal}". EDIT can change it later.',
  askTime:
    'What time each day suits a 1-minute check-in, {name}? E.g. 8:30, 8.30am or 20:15. BACK to go back.',
  timeUnclear:
    "Sorry, I didn't catch a time there. Could you send it like 8:30, 8.30am or 20:15? BACK to go back.",
  timeQuiet:
    '{time} is in our quiet hours ({start} to {end}), when we never text. Could you pick a time between {end} and {start}?',
  askZone:
    'Which time zone are you in? Reply with your city, e.g. Chicago, or a zone like America/Denver. BACK to go back.',
  zoneUnknown:
    "Sorry, I don't know that place yet. Could you try a nearby big city, or a zone like America/Chicago?",
  confirmZone: '{place} time, {time}. Right? Reply YES, or send another city to fix it.',
  askEmail:
    'Would you like the charter and your Day-14 summary by email too? Reply with your email address, or SKIP.',
  emailUnclear: "That doesn't look like an email address. Could you check it, or reply SKIP?",
  askPartner:
    'Who would you like as a partner? Reply with their first name and mobile number, e.g. Mia 212 555 0101. BACK to go back.',
  askAnotherPartner:
    '{partner} is on the list. Add another person for a small team (up to 8), or reply DONE to see the invitation.',
  partnerUnclear:
    'I need a first name and a mobile number, e.g. Mia 212 555 0101. Could you send both? Or DONE if that is everyone.',
  partnerNotANumber:
    "I couldn't read that as a number in use. Could you check the digits, with the area code? Or DONE if that is everyone.",
  partnerNotMobile:
    'That number looks like a premium-rate or business line, and we only text mobiles. Could you send a mobile number?',
  partnerCountry:
    "Sorry, we can't text numbers in that country yet. Could you send another mobile number? Or DONE if that is everyone.",
  partnerUnavailable:
    "Sorry, we can't invite that number just now. Would you like to invite someone else? Or DONE if that is everyone.",
  partnerYourself: "That is your own number! Could you send your partner's first name and mobile number?",
  teamFull: 'That makes a team of 8, the most we can hold. Reply DONE to see the invitation.',
  preview: 'Here is the invitation {list} will get:',
  askSend: 'Reply SEND to invite {list}, or EDIT to change something. CANCEL SETUP to stop.',
  askEdit:
    'What would you like to change? Reply GOAL, TIME, ZONE, EMAIL or PARTNERS. BACK for the invitation again.',
  partnerNotNow: "Sorry, we can't invite {partner} just now, so I've taken them off the list.",
  waitingNote:
    'Your invitations are out, {name}. I will text you as people answer. Reply HELP for more, or CANCEL SETUP to stop.',
  sent: 'Invitation sent to {list}! I will text you when they answer. Your trial starts the day after everyone is in.',
  invitesToday:
    "That's the most invitations we send in one day. Could you reply SEND again tomorrow? Nothing is lost meanwhile.",
  invitesMonth:
    "That's the most invitations we send in a month, so this one has to wait. Reply SEND again next month, or CANCEL SETUP.",
  // At every step
  setupHelp:
    'Soft Partner: 14 days of 1-minute check-ins with grace passes. Answer the last question, BACK to go back, CANCEL SETUP to stop, STOP to opt out.',
  cancelled: 'No problem, setup cancelled and nothing was sent. Text us anytime to start again.',
  nudge:
    "Hi again! Your setup is waiting just where you left it, whenever you're ready. Reply HELP, or CANCEL SETUP.",
  dropped: "We've set your unfinished setup aside so it won't bother you. Text us anytime to start again.",
  selfServeOff:
    'Hi! Soft Partner trials are set up by an organiser for now. Please ask yours to add you. Take care!',
  askAgain: 'Sorry, one answer needs another look before we can start.',

  // The people invited
  invitation:
    '{name} invites you to try Soft Partner for "{goal}": 14 days, 1-min check-ins, grace passes, happy to adapt. YES, NO or STOP',
  inviteeAskGoal:
    'Wonderful, {partner}! What would you like to work on for the next two weeks? A few words, e.g. "run 3 km". STOP to opt out.',
  inviteeDeclined: 'No problem at all, and thank you for letting us know. We will not ask again. Take care!',
  inviteeUnclear: '{name} invited you to a 14-day Soft Partner trial. Reply YES to join, or NO thanks.',
  atTrialLimit:
    "You're in as many trials as one person can be at once, so a new one will have to wait. Text NEW again once one has ended!",
  cannotJoin: "Sorry, we can't start this trial with you just now, so nothing changes for you. Take care!",
  withdrawn: 'That invitation is no longer open, so there is nothing to do. Take care!',
  inviteeDone: "You're all set, {partner}! We start the day after everyone has answered. Reply HELP anytime.",
  // Back to the person who invited
  partnerJoined:
    '{partner} said yes! {count} still to answer. Your trial starts the day after everyone is in.',
  partnerLapsed: "{partner} hasn't answered in a week, so we won't text them again. That's okay.",
  partnerDeclined: "{partner} can't join this time, and that's okay.",
  nobodyLeft: 'Nobody is left to start with just now. Text NEW anytime to invite someone else.',
  started:
    'Everyone is in! Your first check-in comes tomorrow at {time}, {partner}. Reply HELP anytime, STOP to opt out.',
} as const;

export type SetupTemplate = keyof typeof setupCopy;

/** The longest value each placeholder of the setup copy takes. */
export const SETUP_PLACEHOLDER_MAX_LENGTH = {
  name: 24,
  partner: 24,
  goal: 60,
  time: 5,
  start: 5,
  end: 5,
  place: 30,
  list: 50,
  count: 1,
} as const;

/** The initiator's name and goal as the invitation quotes them (excerpts, so the invitation stays one segment). */
export const INVITATION_LENGTH = { name: 16, goal: 30 } as const;

/** Fills a setup text. Values are plain text. */
export function renderSetupSms(
  template: SetupTemplate,
  values: Record<string, string | number> = {},
): string {
  return setupCopy[template].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
