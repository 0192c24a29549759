/**
 * Every SMS Soft Partner sends, in one place. The voice: a partner who is glad to hear from you,
 * never a supervisor. Placeholders are {name}, {goal}, {left}, {partner}. Each text must fit one
 * GSM-7 segment (160 characters) with placeholders filled at their longest (see test/unit/sms-copy).
 */
export const smsCopy = {
  invitation:
    'Hi {name}! {partner} invited you to a 14-day Soft Partner trial: a 1-minute daily check-in. Reply YES to join, STOP to opt out.',
  invitationReminder: 'Hi {name}, reply YES to join your Soft Partner trial, or STOP to opt out.',
  unknownNumber: 'Hi! This number is not part of a Soft Partner trial yet. Ask your organiser to add you.',
  joined: 'Welcome aboard, {name}! Your daily check-ins start tomorrow. Reply HELP anytime.',
  joinedWaiting: 'Welcome aboard, {name}! We start as soon as everyone has said yes. Reply HELP anytime.',
  checkIn: 'Still on track for "{goal}" today, {name}? Reply YES, or GRACE for a no-guilt pass.',
  onTrack: 'Lovely, {name}. Noted for today. Keep it gentle.',
  graceSpent: 'Grace taken, no guilt. Rest up, {name}. You have {left} grace left this month.',
  graceNoneLeft:
    "That's okay, {name}. Your grace is used up this month. Be kind to yourself, and tell us what you need.",
  stopped: 'You will get no more texts from Soft Partner. Reply START to come back anytime.',
  restarted: 'Welcome back, {name}! Your check-ins carry on. Reply STOP to opt out.',
  help: 'Soft Partner: reply YES when on track, GRACE for a no-guilt day off, STOP to opt out. Your organiser can help.',
  clarify: "Thanks, {name}! I didn't quite get that. Reply YES, GRACE, HELP or STOP.",
} as const;

export type SmsTemplate = keyof typeof smsCopy;

/** Fills a template. Values are plain text; SMS has no markup to escape. */
export function renderSms(template: SmsTemplate, values: Record<string, string | number> = {}): string {
  return smsCopy[template].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
