import { Duration } from 'aws-cdk-lib';
import { type Alarm, Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '#shared/domain/metric-names.js';
import { type AlarmGroupProps, notifyingAlarm } from './notifying-alarm.js';

/**
 * The app's own metrics (namespace and names in shared/domain/metric-names.ts, which the functions count
 * with too). Every function gets the namespace as `POWERTOOLS_METRICS_NAMESPACE`.
 */
export { METRICS_NAMESPACE };
export const APP_METRIC = METRIC;

export type AppMetricName = (typeof APP_METRIC)[keyof typeof APP_METRIC];

/** One business metric of one stage (`service` = the stage's service name), summed per 5 minutes by default. */
export function appMetric(
  serviceName: string,
  metricName: AppMetricName,
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: serviceName },
    statistic: 'Sum',
    period: Duration.minutes(5),
    ...options,
  });
}

/** Alarms on the app's own counts also need the stage's `service` dimension. */
export interface AppMetricAlarmProps extends AlarmGroupProps {
  /** `service` dimension of the stage's metrics: every function counts under it. */
  readonly serviceName: string;
}

/** How many of a count within how long raise the alarm. */
export interface CountLimit {
  readonly threshold: number;
  readonly period: Duration;
}

/** An alarm (`<prefix>-<name>`) when one of the app's counts reaches `limit` within its period. */
export function appMetricAlarm(
  scope: Construct,
  id: string,
  props: AppMetricAlarmProps,
  alarm: { name: string; description: string; metricName: AppMetricName; limit: CountLimit },
): Alarm {
  return notifyingAlarm(scope, id, props.alarmTopic, {
    alarmName: `${props.alarmNamePrefix}-${alarm.name}`,
    alarmDescription: alarm.description,
    metric: appMetric(props.serviceName, alarm.metricName, { period: alarm.limit.period }),
    threshold: alarm.limit.threshold,
  });
}
