import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';

/**
 * CloudWatch namespace of the app's own metrics, which the functions emit with Powertools Metrics (embedded
 * metric format). Every function gets it as `POWERTOOLS_METRICS_NAMESPACE`.
 */
export const METRICS_NAMESPACE = 'SoftPartner';

/**
 * The business metrics the functions count (shared/runtime/metrics.ts), each a Count whose only dimension is
 * `service`: the function's `POWERTOOLS_SERVICE_NAME`, one per stage.
 */
export const APP_METRIC = {
  smsSent: 'SmsSent',
  smsSendFailures: 'SmsSendFailures',
  smsUndelivered: 'SmsUndelivered',
  emailsSent: 'EmailsSent',
  emailSendFailures: 'EmailSendFailures',
  repliesHandled: 'RepliesHandled',
  graceSpent: 'GraceSpent',
  optOuts: 'OptOuts',
  errors: 'Errors',
} as const;

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
