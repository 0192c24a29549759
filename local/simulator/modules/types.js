// @ts-check
/**
 * The shapes the simulator reads from the local stack's HTTP surface, as JSDoc types only: other modules
 * name them with `@typedef {import('./types.js').Member} Member`. A `Person` is whoever a card shows: an
 * enrolled member, or a phone nobody enrolled yet.
 *
 * @typedef {{ apiKey: string, twilioAuthToken: string, twilioAccountSid: string, twilioNumber: string, webhookUrl: string }} Config
 * @typedef {{ localDate: string, status: string, mood?: number }} CheckIn
 * @typedef {{ id: string, name: string, phone: string, goal: string, timezone: string, email?: string }} Person
 * @typedef {{ id: string, name: string, phone: string, email?: string, checkInBy?: string, timezone: string,
 *   checkInTime: string, goal: string, status: string, emailStatus?: string, pausedUntil?: string,
 *   quietHours?: { start: string, end: string },
 *   graceTokensLeft: number, checkIns: CheckIn[] }} Member
 * @typedef {{ id: string, startedAt?: string, graceTokensPerMonth: number, members: Member[] }} Partnership
 * @typedef {{ to: string, from: string, body: string, sid: string, at: string, direction: string }} OutboxSms
 * @typedef {{ sid: string, from: string, to: string, body: string, at: string, afterOutbox: number, status: number }} InboundSms
 * @typedef {{ messageId: string, to: string, subject: string, html: string, text: string, replyTo: string | null, at: string }} Email
 * @typedef {{ name: string, kind: string, memberId: string, partnershipId: string, at: string, localDate?: string }} Schedule
 * @typedef {{ path: string, message: string }} Issue
 * @typedef {{ text: string, at: string, fromMember: boolean, failed: boolean }} ThreadMessage
 * @typedef {{ root: HTMLElement, bubbles: HTMLOListElement, localTime: HTMLElement, phoneClock: HTMLElement,
 *   sendStatus: HTMLElement, inbox: HTMLElement, emailList: HTMLUListElement, emailView: HTMLElement,
 *   emailMeta: HTMLElement, frame: HTMLIFrameElement, replyStatus: HTMLElement,
 *   log: HTMLElement, selected: string | null, followLatest: boolean,
 *   shown: { bubbles: string[], emails: string, frame: string } }} Card
 */

export {};
