import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC, METRICS_NAMESPACE } from '#shared/domain/metric-names.js';

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
