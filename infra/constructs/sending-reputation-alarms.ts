import { Duration } from 'aws-cdk-lib';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { type AlarmGroupProps, notifyingAlarm } from './notifying-alarm.js';

/**
 * Alarm thresholds, as fractions of sent email. SES puts an account under review at a 5% bounce rate and a
 * 0.1% complaint rate (and may pause sending at 10% and 0.5%), so we hear about it at half those rates,
 * while there is still time to act before review starts.
 */
export const SES_REVIEW_BOUNCE_RATE = 0.05;
export const SES_REVIEW_COMPLAINT_RATE = 0.001;
export const BOUNCE_RATE_THRESHOLD = SES_REVIEW_BOUNCE_RATE / 2;
export const COMPLAINT_RATE_THRESHOLD = SES_REVIEW_COMPLAINT_RATE / 2;

/** Alarm names are `<prefix>-ses-bounce-rate` and `<prefix>-ses-complaint-rate`. */
export type SendingReputationAlarmsProps = AlarmGroupProps;

/**
 * Alarms on the account's SES reputation metrics (`AWS/SES` `Reputation.BounceRate` and
 * `Reputation.ComplaintRate`). They are account-wide, like SES's own enforcement.
 */
export class SendingReputationAlarms extends Construct {
  readonly bounceRate: Alarm;
  readonly complaintRate: Alarm;

  constructor(scope: Construct, id: string, props: SendingReputationAlarmsProps) {
    super(scope, id);
    const reputationAlarm = (alarmId: string, metricName: string, threshold: number, name: string) =>
      notifyingAlarm(this, alarmId, props.alarmTopic, {
        alarmName: `${props.alarmNamePrefix}-ses-${name}`,
        alarmDescription:
          `SES ${metricName} reached ${threshold * 100}%, half the rate at which SES puts the account under review. ` +
          'Check the email-events logs and the suppression list; stop sending to the addresses concerned.',
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName,
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        // No email sent, no metric: nothing to worry about (missing data is not breaching).
        threshold,
      });

    this.bounceRate = reputationAlarm(
      'BounceRate',
      'Reputation.BounceRate',
      BOUNCE_RATE_THRESHOLD,
      'bounce-rate',
    );
    this.complaintRate = reputationAlarm(
      'ComplaintRate',
      'Reputation.ComplaintRate',
      COMPLAINT_RATE_THRESHOLD,
      'complaint-rate',
    );
  }
}
