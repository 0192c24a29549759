import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_METRIC, type AppMetricAlarmProps, appMetricAlarm, type CountLimit } from './app-metrics.js';
import { notifyingAlarm } from './notifying-alarm.js';

/**
 * The oldest due step may wait this long in the send queue before someone hears of it. A 09:00 burst of
 * N texts drains in N / smsMessagesPerSecond seconds; half an hour means the sender is stuck or far too slow.
 */
export const SEND_QUEUE_AGE_THRESHOLD = Duration.minutes(30);
/** Texts Twilio accepted but reported failed or undelivered, and within how long. */
export const UNDELIVERED_TEXTS: CountLimit = { threshold: 5, period: Duration.minutes(15) };

export interface DeliveryAlarmsProps extends AppMetricAlarmProps {
  readonly sendQueue: IQueue;
  /** The schedule group whose deliveries Scheduler reports on (`AWS/Scheduler`, dimension `ScheduleGroup`). */
  readonly scheduleGroupName: string;
  readonly api: HttpApi;
  /** Texts a day above which someone should look (a loop, a flood of enrollments, a bill). */
  readonly dailySmsBudget: number;
}

/**
 * Alarms on the path a check-in travels: Scheduler → send queue → sender → Twilio → the member, plus the
 * public API that Twilio's webhooks and enrollments reach. Each one tells the operator what to look at.
 */
export class DeliveryAlarms extends Construct {
  readonly sendQueueAge: Alarm;
  readonly schedulerTargetErrors: Alarm;
  readonly schedulerThrottles: Alarm;
  readonly apiServerErrors: Alarm;
  readonly undeliveredTexts: Alarm;
  readonly dailySmsBudget: Alarm;

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    const name = (suffix: string) => `${props.alarmNamePrefix}-${suffix}`;
    const scheduler = (metricName: string) =>
      new Metric({
        namespace: 'AWS/Scheduler',
        metricName,
        dimensionsMap: { ScheduleGroup: props.scheduleGroupName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });

    this.sendQueueAge = notifyingAlarm(this, 'SendQueueAge', props.alarmTopic, {
      alarmName: name('send-queue-age'),
      alarmDescription:
        `A due check-in has waited ${SEND_QUEUE_AGE_THRESHOLD.toMinutes()} minutes in the send queue. Check the ` +
        'dispatch function (errors, throttles, concurrency) and the Twilio account; nothing is lost while it waits.',
      metric: props.sendQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: SEND_QUEUE_AGE_THRESHOLD.toSeconds(),
    });
    this.schedulerTargetErrors = notifyingAlarm(this, 'SchedulerTargetErrors', props.alarmTopic, {
      alarmName: name('scheduler-target-errors'),
      alarmDescription:
        'EventBridge Scheduler could not put a due step on the send queue (TargetErrorCount). Check the ' +
        'Scheduler role and the send queue; Scheduler retries, then uses the schedule DLQ, and the sweep ' +
        'schedules the member again within the hour.',
      metric: scheduler('TargetErrorCount'),
      threshold: 1,
    });
    this.schedulerThrottles = notifyingAlarm(this, 'SchedulerThrottles', props.alarmTopic, {
      alarmName: name('scheduler-throttles'),
      alarmDescription:
        'EventBridge Scheduler was throttled invoking the send queue, or by its own invocation quota ' +
        '(TargetErrorThrottledCount + InvocationThrottleCount). Ask for a higher quota before the next 09:00 burst.',
      metric: new Metric({
        namespace: 'AWS/Scheduler',
        metricName: 'TargetErrorThrottledCount',
        dimensionsMap: { ScheduleGroup: props.scheduleGroupName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
    });
    // Invocation throttling is account-wide in AWS/Scheduler; one alarm per metric keeps each description true.
    notifyingAlarm(this, 'SchedulerInvocationThrottles', props.alarmTopic, {
      alarmName: name('scheduler-invocation-throttles'),
      alarmDescription:
        'EventBridge Scheduler throttled invocations of this group (InvocationThrottleCount): the account ' +
        'is above its invocation quota. Ask for a higher quota; delayed steps still arrive.',
      metric: scheduler('InvocationThrottleCount'),
      threshold: 1,
    });
    this.apiServerErrors = notifyingAlarm(this, 'ApiServerErrors', props.alarmTopic, {
      alarmName: name('api-5xx'),
      alarmDescription:
        'The HTTP API answered 5xx. Twilio does not retry its webhooks, so a reply or delivery report may be ' +
        'lost: check the inbound-sms and enroll logs, and the API access log.',
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
    });
    this.undeliveredTexts = appMetricAlarm(this, 'UndeliveredTexts', props, {
      name: 'sms-undelivered',
      description:
        `Twilio reported ${UNDELIVERED_TEXTS.threshold} or more texts failed or undelivered within ` +
        `${UNDELIVERED_TEXTS.period.toMinutes()} minutes. Check the ErrorCode in the inbound-sms logs (30034: ` +
        'unregistered 10DLC traffic; 30007: carrier filtering; 21408/21612: Geo Permissions).',
      metricName: APP_METRIC.smsUndelivered,
      limit: UNDELIVERED_TEXTS,
    });
    this.dailySmsBudget = appMetricAlarm(this, 'DailySmsBudget', props, {
      name: 'daily-sms-budget',
      description:
        `More than ${props.dailySmsBudget} texts were sent in a day (the stage's dailySmsBudget). Check for a ` +
        'loop or an enrollment flood before the Twilio bill does.',
      metricName: APP_METRIC.smsSent,
      limit: { threshold: props.dailySmsBudget, period: Duration.days(1) },
    });
  }
}
