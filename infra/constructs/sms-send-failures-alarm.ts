import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { APP_METRIC, appMetric } from './app-metrics.js';
import { notifyingAlarm } from './notifying-alarm.js';

/**
 * Failed SMS sends (Twilio API errors) within {@link SMS_SEND_FAILURES_PERIOD} that raise the alarm. One or
 * two are a retried transient error; a bad credential, a suspended account or a blocked sender fails every
 * send, and even a single message the sender keeps failing is received again every 3 minutes (the send
 * queue's visibility timeout), so it reaches 3 within the period.
 */
export const SMS_SEND_FAILURES_THRESHOLD = 3;
export const SMS_SEND_FAILURES_PERIOD = Duration.minutes(15);

export interface SmsSendFailuresAlarmProps {
  /** The alarm is `<prefix>-sms-send-failures`. */
  readonly alarmNamePrefix: string;
  /** `service` dimension of the stage's metrics: every function that sends SMS uses it. */
  readonly serviceName: string;
  readonly alarmTopic: ITopic;
}

/** Alarm on the app's `SmsSendFailures` count (namespace `SoftPartner`), across every function that texts. */
export class SmsSendFailuresAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsSendFailuresAlarmProps) {
    super(scope, id);
    this.alarm = notifyingAlarm(this, 'Alarm', props.alarmTopic, {
      alarmName: `${props.alarmNamePrefix}-sms-send-failures`,
      alarmDescription:
        `Twilio rejected ${SMS_SEND_FAILURES_THRESHOLD} or more SMS sends in ` +
        `${SMS_SEND_FAILURES_PERIOD.toMinutes()} minutes. Check the dispatch and enroll logs for the Twilio ` +
        'error code, the Twilio secret and the account status; failed steps retry, then land in the send DLQ.',
      metric: appMetric(props.serviceName, APP_METRIC.smsSendFailures, { period: SMS_SEND_FAILURES_PERIOD }),
      // No failure is emitted when every send succeeds (missing data is not breaching).
      threshold: SMS_SEND_FAILURES_THRESHOLD,
    });
  }
}
