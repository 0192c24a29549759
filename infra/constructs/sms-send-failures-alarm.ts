import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { APP_METRIC, type AppMetricAlarmProps, appMetricAlarm, type CountLimit } from './app-metrics.js';

/**
 * Failed SMS sends (Twilio API errors) that raise the alarm, and within how long. One or two are a retried
 * transient error; a bad credential, a suspended account or a blocked sender fails every send, and even a
 * single message the sender keeps failing is received again every 3 minutes (the send queue's visibility
 * timeout), so it reaches 3 within the period.
 */
export const SMS_SEND_FAILURES: CountLimit = { threshold: 3, period: Duration.minutes(15) };

/** Alarm on the app's `SmsSendFailures` count (namespace `SoftPartner`), across every function that texts. */
export class SmsSendFailuresAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: AppMetricAlarmProps) {
    super(scope, id);
    // No failure is emitted when every send succeeds (missing data is not breaching).
    this.alarm = appMetricAlarm(this, 'Alarm', props, {
      name: 'sms-send-failures',
      description:
        `Twilio rejected ${SMS_SEND_FAILURES.threshold} or more SMS sends in ` +
        `${SMS_SEND_FAILURES.period.toMinutes()} minutes. Check the dispatch and enroll logs for the Twilio ` +
        'error code, the Twilio secret and the account status; failed steps retry, then land in the send DLQ.',
      metricName: APP_METRIC.smsSendFailures,
      limit: SMS_SEND_FAILURES,
    });
  }
}
