import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type GraphWidgetProps,
  type HorizontalAnnotation,
  type IMetric,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_METRIC, type AppMetricName, appMetric } from './app-metrics.js';
import { BOUNCE_RATE_THRESHOLD, COMPLAINT_RATE_THRESHOLD } from './sending-reputation-alarms.js';
import type { SoftPartnerFunction } from './soft-partner-function.js';

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  /** `service` dimension of the stage's business metrics. */
  readonly serviceName: string;
  /** The functions, by the short name the widgets label them with. */
  readonly functions: Record<string, SoftPartnerFunction>;
  /** The dead-letter queues, by label. */
  readonly deadLetterQueues: Record<string, IQueue>;
  /** The queue every due step passes through. */
  readonly sendQueue: IQueue;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard per stage: what the app did (messages sent, replies, grace, opt-outs, failures),
 * how the functions ran (errors, throttles, p99 duration), whether anything is stuck (DLQ depth, age of the
 * oldest due step) and the SES sending reputation. Check-ins are daily, so it opens on the last day.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const business = (label: string, metricName: AppMetricName) =>
      appMetric(props.serviceName, metricName, { label, period: PERIOD });
    const perFunction = (metric: (fn: SoftPartnerFunction, label: string) => IMetric) =>
      Object.entries(props.functions).map(([label, fn]) => metric(fn, label));
    const graph = (title: string, left: IMetric[], extra: Omit<GraphWidgetProps, 'title' | 'left'> = {}) =>
      new GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...extra });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# Soft Partner: ${props.dashboardName}\n` +
          'Business counts are the `SoftPartner` metrics the functions emit (sums per 5 minutes); every alarm ' +
          'notifies the stage alarm topic (docs/deploy.md, "Alarms").',
        width: 24,
        height: 2,
      }),
    );

    this.dashboard.addWidgets(
      graph('Messages sent', [
        business('SMS sent', APP_METRIC.smsSent),
        business('Emails sent', APP_METRIC.emailsSent),
      ]),
      graph('Replies, grace and opt-outs', [
        business('Replies handled', APP_METRIC.repliesHandled),
        business('Grace spent', APP_METRIC.graceSpent),
        business('Opt-outs', APP_METRIC.optOuts),
      ]),
      graph('Send failures and handler errors', [
        business('SMS send failures', APP_METRIC.smsSendFailures),
        business('SMS undelivered (Twilio status)', APP_METRIC.smsUndelivered),
        business('Email send failures', APP_METRIC.emailSendFailures),
        business('Handler errors', APP_METRIC.errors),
      ]),
    );

    this.dashboard.addWidgets(
      graph(
        'Function errors',
        perFunction((fn, label) => fn.function.metricErrors({ label, period: PERIOD, statistic: 'Sum' })),
      ),
      graph(
        'Function throttles',
        perFunction((fn, label) => fn.function.metricThrottles({ label, period: PERIOD, statistic: 'Sum' })),
      ),
      graph(
        'Function duration p99 (ms)',
        perFunction((fn, label) => fn.function.metricDuration({ label, period: PERIOD, statistic: 'p99' })),
      ),
    );

    const reputation = (label: string, metricName: string) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        label,
        statistic: 'Maximum',
        period: Duration.hours(1),
      });
    const threshold = (label: string, value: number): HorizontalAnnotation => ({ label, value });
    this.dashboard.addWidgets(
      graph(
        'Dead-letter queue depth',
        Object.entries(props.deadLetterQueues).map(([label, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ label, period: PERIOD, statistic: 'Maximum' }),
        ),
      ),
      graph(
        'Send queue: age of oldest due step (s)',
        [
          props.sendQueue.metricApproximateAgeOfOldestMessage({
            label: 'Age of oldest message',
            period: PERIOD,
            statistic: 'Maximum',
          }),
        ],
        {
          right: [
            props.sendQueue.metricApproximateNumberOfMessagesVisible({
              label: 'Messages waiting',
              period: PERIOD,
              statistic: 'Maximum',
            }),
          ],
        },
      ),
      graph(
        'SES reputation (fraction of sent email)',
        [
          reputation('Bounce rate', 'Reputation.BounceRate'),
          reputation('Complaint rate', 'Reputation.ComplaintRate'),
        ],
        {
          leftAnnotations: [
            threshold('Bounce rate alarm', BOUNCE_RATE_THRESHOLD),
            threshold('Complaint rate alarm', COMPLAINT_RATE_THRESHOLD),
          ],
        },
      ),
    );
  }
}
