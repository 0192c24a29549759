import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_METRIC, appMetric } from './app-metrics.js';
import { notifyingAlarm } from './notifying-alarm.js';

/**
 * The oldest due step may wait this long in the send queue before someone hears of it. A 09:00 burst of
 * N texts drains in N / smsMessagesPerSecond seconds; half an hour means the sender is stuck or far too slow.
 */
export const SEND_QUEUE_AGE_THRESHOLD = Duration.minutes(30);
/** Texts Twilio accepted but reported failed or undelivered, within {@link UNDELIVERED_TEXTS_PERIOD}. */
export const UNDELIVERED_TEXTS_THRESHOLD = 5;
export const UNDELIVERED_TEXTS_PERIOD = Duration.minutes(15);

export interface DeliveryAlarmsProps {
  /** Alarm names are `<prefix>-<what>`. */
  readonly alarmNamePrefix: string;
  /** `service` dimension of the stage's metrics. */
  readonly serviceName: string;
  readonly alarmTopic: ITopic;
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
    this.undeliveredTexts = notifyingAlarm(this, 'UndeliveredTexts', props.alarmTopic, {
      alarmName: name('sms-undelivered'),
      alarmDescription:
        `Twilio reported ${UNDELIVERED_TEXTS_THRESHOLD} or more texts failed or undelivered within ` +
        `${UNDELIVERED_TEXTS_PERIOD.toMinutes()} minutes. Check the ErrorCode in the inbound-sms logs (30034: ` +
        'unregistered 10DLC traffic; 30007: carrier filtering; 21408/21612: Geo Permissions).',
      metric: appMetric(props.serviceName, APP_METRIC.smsUndelivered, { period: UNDELIVERED_TEXTS_PERIOD }),
      threshold: UNDELIVERED_TEXTS_THRESHOLD,
    });
    this.dailySmsBudget = notifyingAlarm(this, 'DailySmsBudget', props.alarmTopic, {
      alarmName: name('daily-sms-budget'),
      alarmDescription:
        `More than ${props.dailySmsBudget} texts were sent in a day (the stage's dailySmsBudget). Check for a ` +
        'loop or an enrollment flood before the Twilio bill does.',
      metric: appMetric(props.serviceName, APP_METRIC.smsSent, { period: Duration.days(1) }),
      threshold: props.dailySmsBudget,
    });
  }
}
