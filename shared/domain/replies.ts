/**
 * Our answers to one text, as one text: joined by a space (twilio's TwiML answer sends them so when they
 * fit one segment, and the inbound record keeps that text).
 */
export const joinReplies = (replies: readonly string[]): string => replies.join(' ');
