import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../infra/constructs/app-metrics.js';
import { OperationsDashboard } from '../../infra/constructs/operations-dashboard.js';
import type { SoftPartnerFunction } from '../../infra/constructs/soft-partner-function.js';
import { environmentOf, resources, synthesize } from './synth.js';

// One synthesis per stage for the whole file.
const dev = synthesize({ stage: 'dev' });
const prod = synthesize({ stage: 'prod' });
const { stateless, statelessTemplate: template } = dev;
const rendered = (token: string): unknown => stateless.resolve(token);
const alarmTopic = () => rendered(stateless.alarmTopic.topicArn);

const functions: Record<string, SoftPartnerFunction> = {
  enroll: stateless.enroll,
  'inbound-sms': stateless.inboundSms,
  dispatch: stateless.dispatch,
  'inbound-email': stateless.inboundEmail,
  'email-links': stateless.emailLinks,
  'email-events': stateless.emailEvents,
};

interface DashboardWidget {
  type: string;
  properties: {
    title?: string;
    metrics?: (string | Record<string, unknown>)[][];
    annotations?: { horizontal?: { label: string; value: number }[] };
  };
}

/** The dashboard body as JSON, every CloudFormation reference in it replaced by `<ref>`. */
function dashboardBody(app: typeof dev): { start: string; widgets: DashboardWidget[] } {
  const dashboards = Object.values(resources(app.statelessTemplate, 'AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0]?.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  return JSON.parse(body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '<ref>')).join(''));
}

/** `[namespace, metricName]` of every metric a widget plots. */
const metricsOf = (widget: DashboardWidget | undefined): [string, string][] =>
  (widget?.properties.metrics ?? []).map((metric) => [String(metric[0]), String(metric[1])]);

const widget = (title: string) => dashboardBody(dev).widgets.find((w) => w.properties.title === title);

describe('observability', () => {
  describe('function alarms', () => {
    it.each(Object.entries(functions))('alarms on any error and any throttle of %s', (name, fn) => {
      for (const [metricName, suffix] of [
        ['Errors', 'errors'],
        ['Throttles', 'throttles'],
      ]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `soft-partner-dev-${name}-${suffix}`,
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: rendered(fn.functionName) }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmActions: [alarmTopic()],
          OKActions: [alarmTopic()],
        });
      }
    });

    it('sends every alarm of the stack, on alarm and on recovery, to the alarm topic only', () => {
      for (const alarm of Object.values(resources(template, 'AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties?.AlarmActions).toEqual([alarmTopic()]);
        expect(alarm.Properties?.OKActions).toEqual([alarmTopic()]);
        expect(String(alarm.Properties?.AlarmName)).toMatch(/^soft-partner-dev-/);
      }
    });
  });

  describe('business metrics', () => {
    it('gives every function the SoftPartner namespace and the stage service name the metrics carry', () => {
      for (const fn of Object.values(functions)) {
        expect(environmentOf(template, fn)).toMatchObject({
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          POWERTOOLS_SERVICE_NAME: 'soft-partner-dev',
        });
      }
      expect(METRICS_NAMESPACE).toBe('SoftPartner');
      expect(environmentOf(prod.statelessTemplate, prod.stateless.dispatch).POWERTOOLS_SERVICE_NAME).toBe(
        'soft-partner-prod',
      );
    });

    it('alarms when Twilio rejects 3 SMS sends within 15 minutes, whichever function sent them', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'soft-partner-dev-sms-send-failures',
        Namespace: 'SoftPartner',
        MetricName: 'SmsSendFailures',
        Dimensions: [{ Name: 'service', Value: 'soft-partner-dev' }],
        Statistic: 'Sum',
        Period: 900,
        Threshold: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
        OKActions: [alarmTopic()],
      });
      // The functions that text (enroll, dispatch; inbound-sms holds the secret too) count under that service.
      for (const fn of [stateless.enroll, stateless.dispatch, stateless.inboundSms]) {
        expect(environmentOf(template, fn).POWERTOOLS_SERVICE_NAME).toBe('soft-partner-dev');
      }
    });
  });

  describe('delivery alarms', () => {
    const alarm = (name: string, properties: Record<string, unknown>) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `soft-partner-dev-${name}`,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
        OKActions: [alarmTopic()],
        ...properties,
      });

    it('alarms when a due step has waited 30 minutes in the send queue', () => {
      alarm('send-queue-age', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: rendered(stateless.sendQueue.queue.queueName) }],
        Statistic: 'Maximum',
        Threshold: 30 * 60,
      });
    });

    it('alarms on any Scheduler target error, target throttle or invocation throttle in the group', () => {
      for (const [name, metricName] of [
        ['scheduler-target-errors', 'TargetErrorCount'],
        ['scheduler-throttles', 'TargetErrorThrottledCount'],
        ['scheduler-invocation-throttles', 'InvocationThrottleCount'],
      ] as const) {
        alarm(name, {
          Namespace: 'AWS/Scheduler',
          MetricName: metricName,
          Dimensions: [{ Name: 'ScheduleGroup', Value: 'soft-partner-dev' }],
          Statistic: 'Sum',
          Threshold: 1,
        });
      }
    });

    it('alarms on any 5xx of the HTTP API (Twilio does not retry its webhooks)', () => {
      alarm('api-5xx', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: rendered(stateless.api.apiId) }],
        Statistic: 'Sum',
        Threshold: 1,
      });
    });

    it('alarms on 5 undelivered texts in 15 minutes, and on the daily SMS budget of the stage', () => {
      alarm('sms-undelivered', {
        Namespace: 'SoftPartner',
        MetricName: 'SmsUndelivered',
        Dimensions: [{ Name: 'service', Value: 'soft-partner-dev' }],
        Period: 900,
        Threshold: 5,
      });
      alarm('daily-sms-budget', {
        Namespace: 'SoftPartner',
        MetricName: 'SmsSent',
        Dimensions: [{ Name: 'service', Value: 'soft-partner-dev' }],
        Statistic: 'Sum',
        Period: 86_400,
        Threshold: 500,
      });
      prod.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'soft-partner-prod-daily-sms-budget',
        Threshold: 20_000,
      });
    });
  });

  describe('dashboard', () => {
    it('is named soft-partner-<stage> and opens on the last day', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'soft-partner-dev' });
      prod.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: 'soft-partner-prod',
      });
      expect(stateless.dashboard).toBeInstanceOf(OperationsDashboard);
      expect(dashboardBody(dev).start).toBe('-P1D');
    });

    it('plots messages sent, replies, grace, opt-outs and failures from the SoftPartner metrics', () => {
      const business = (title: string) => metricsOf(widget(title));
      expect(business('Messages sent')).toEqual([
        ['SoftPartner', 'SmsSent'],
        ['SoftPartner', 'EmailsSent'],
      ]);
      expect(business('Replies, grace and opt-outs')).toEqual([
        ['SoftPartner', 'RepliesHandled'],
        ['SoftPartner', 'GraceSpent'],
        ['SoftPartner', 'OptOuts'],
      ]);
      expect(business('Send failures and handler errors')).toEqual([
        ['SoftPartner', 'SmsSendFailures'],
        ['SoftPartner', 'SmsUndelivered'],
        ['SoftPartner', 'EmailSendFailures'],
        ['SoftPartner', 'Errors'],
      ]);
      for (const title of [
        'Messages sent',
        'Replies, grace and opt-outs',
        'Send failures and handler errors',
      ]) {
        for (const metric of widget(title)?.properties.metrics ?? []) {
          expect(metric.slice(2, 4)).toEqual(['service', 'soft-partner-dev']);
        }
      }
    });

    it('plots errors, throttles and p99 duration of each of the six functions', () => {
      for (const [title, metricName] of [
        ['Function errors', 'Errors'],
        ['Function throttles', 'Throttles'],
        ['Function duration p99 (ms)', 'Duration'],
      ] as const) {
        const metrics = widget(title)?.properties.metrics ?? [];
        expect(metricsOf(widget(title))).toEqual(Array(6).fill(['AWS/Lambda', metricName]));
        expect(metrics.map((metric) => (metric[4] as { label: string }).label)).toEqual(
          Object.keys(functions),
        );
      }
      for (const metric of widget('Function duration p99 (ms)')?.properties.metrics ?? []) {
        expect(metric[4]).toMatchObject({ stat: 'p99' });
      }
    });

    it('plots the depth of the four DLQs, the age of the oldest due step and the SES reputation', () => {
      expect(metricsOf(widget('Dead-letter queue depth'))).toEqual(
        Array(4).fill(['AWS/SQS', 'ApproximateNumberOfMessagesVisible']),
      );
      expect(metricsOf(widget('Send queue: age of oldest due step (s)'))).toEqual([
        ['AWS/SQS', 'ApproximateAgeOfOldestMessage'],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ]);
      const reputation = widget('SES reputation (fraction of sent email)');
      expect(metricsOf(reputation)).toEqual([
        ['AWS/SES', 'Reputation.BounceRate'],
        ['AWS/SES', 'Reputation.ComplaintRate'],
      ]);
      // The alarm thresholds: half the rates at which SES reviews an account.
      expect(reputation?.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([0.025, 0.0005]);
    });
  });
});
