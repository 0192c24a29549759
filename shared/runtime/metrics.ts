import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { readEnv } from '#shared/contract.js';
import { METRIC, METRICS_NAMESPACE } from '#shared/domain/metric-names.js';
import type { EmailPort, SmsPort, StorePort } from '#shared/domain/ports.js';

/**
 * Business metrics as CloudWatch embedded metric format (Powertools Metrics): what the dashboard and
 * the alarms read. Namespace `SoftPartner`, dimension `service` (each function's service name).
 * Counted at the ports, so no use case knows about metrics, and only in the Lambda entry points'
 * wiring (the local stack wires the bare ports and prints none).
 */
export const metrics = new Metrics({
  namespace: readEnv('POWERTOOLS_METRICS_NAMESPACE') ?? METRICS_NAMESPACE,
});

export { METRIC };

const count = (sink: Metrics, name: string) => sink.addMetric(name, MetricUnit.Count, 1);

/** `send`, counting each send that went (`sent`) and each that failed (`failed`; the failure still throws). */
function countedSend<M, R>(
  send: (message: M) => Promise<R>,
  sink: Metrics,
  sent: string,
  failed: string,
): (message: M) => Promise<R> {
  return async (message) => {
    try {
      const result = await send(message);
      count(sink, sent);
      return result;
    } catch (error) {
      count(sink, failed);
      throw error;
    }
  };
}

/** Counts every text sent and every send that failed (the failure still propagates). */
export const countedSms = (sms: SmsPort, sink: Metrics = metrics): SmsPort => ({
  send: countedSend((message) => sms.send(message), sink, METRIC.smsSent, METRIC.smsSendFailures),
  findSent: (message) => sms.findSent(message),
});

export const countedEmail = (email: EmailPort, sink: Metrics = metrics): EmailPort => ({
  send: countedSend((message) => email.send(message), sink, METRIC.emailsSent, METRIC.emailSendFailures),
});

/**
 * Counts grace tokens actually spent and opt-outs actually recorded, at the store: for the paths that write
 * straight to it (email replies, email links). A text's reply turn holds its writes until they commit, so
 * it reports them in its outcome instead, counted once per applied reply (twilio-webhook.ts inboundMetrics).
 */
export function countedStore<T extends object>(store: T, sink: Metrics = metrics): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'spendGraceToken') {
        return async (...args: Parameters<StorePort['spendGraceToken']>) => {
          const left: Awaited<ReturnType<StorePort['spendGraceToken']>> = await Reflect.apply(
            value,
            target,
            args,
          );
          if (left !== undefined) count(sink, METRIC.graceSpent);
          return left;
        };
      }
      if (property === 'optOutMembership') {
        return async (...args: Parameters<StorePort['optOutMembership']>) => {
          const changed: boolean = await Reflect.apply(value, target, args);
          if (changed) count(sink, METRIC.optOuts);
          return changed;
        };
      }
      if (property === 'setMemberStatus') {
        return async (...args: Parameters<StorePort['setMemberStatus']>) => {
          await Reflect.apply(value, target, args);
          if (args[2] === 'opted_out') count(sink, METRIC.optOuts);
        };
      }
      return value.bind(target);
    },
  });
}

/** Publishes what an invocation counted, and counts the invocation as an error if it threw. */
export function withMetrics<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
  sink: Metrics = metrics,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      count(sink, METRIC.errors);
      throw error;
    } finally {
      sink.publishStoredMetrics();
    }
  };
}

export { type Metrics, MetricUnit };
