/**
 * The business metrics the functions count (Powertools Metrics, embedded metric format) and the CDK app
 * graphs and alarms on: one list, read by both. Each is a Count whose only dimension is `service`.
 */
export const METRICS_NAMESPACE = 'SoftPartner';

export const METRIC = {
  smsSent: 'SmsSent',
  smsSendFailures: 'SmsSendFailures',
  /** Twilio accepted the text but reported it failed or undelivered (status callback). */
  smsUndelivered: 'SmsUndelivered',
  emailsSent: 'EmailsSent',
  emailSendFailures: 'EmailSendFailures',
  repliesHandled: 'RepliesHandled',
  graceSpent: 'GraceSpent',
  optOuts: 'OptOuts',
  errors: 'Errors',
} as const;
