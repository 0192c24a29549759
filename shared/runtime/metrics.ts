import { readEnv } from '#shared/contract.js';
import { METRIC, METRICS_NAMESPACE } from '#shared/domain/metric-names.js';
import type { EmailPort, SmsPort, StorePort } from '#shared/domain/ports.js';

/** The units we count in (CloudWatch's names). */
export const MetricUnit = { Count: 'Count' } as const;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * An invocation's metrics, written as one CloudWatch embedded metric format (EMF) line when published:
 * the line Powertools Metrics writes for our use (namespace, the `service` dimension, a value per name or
 * the values of a name counted more than once), in a few lines instead of its 10 KB in every bundle.
 * Off where Powertools turns it off: POWERTOOLS_METRICS_DISABLED, else POWERTOOLS_DEV.
 */
export class Metrics {
  private values = new Map<string, { unit: Unit; values: number[] }>();
  private readonly namespace: string;
  private readonly serviceName: string;

  constructor(options: { namespace: string; serviceName?: string }) {
    this.namespace = options.namespace;
    this.serviceName = options.serviceName ?? readEnv('POWERTOOLS_SERVICE_NAME') ?? 'service_undefined';
  }

  addMetric(name: string, unit: Unit, value: number): void {
    const stored = this.values.get(name) ?? { unit, values: [] };
    stored.values.push(value);
    this.values.set(name, stored);
  }

  /** The EMF object of what was counted so far. */
  serializeMetrics(): Record<string, unknown> {
    const entries = [...this.values];
    return {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: this.namespace,
            Dimensions: [['service']],
            Metrics: entries.map(([Name, { unit }]) => ({ Name, Unit: unit })),
          },
        ],
      },
      service: this.serviceName,
      ...Object.fromEntries(
        entries.map(([name, { values }]) => [name, values.length > 1 ? values : values[0]]),
      ),
    };
  }

  /** Writes what was counted (nothing if nothing was) and starts again. */
  publishStoredMetrics(): this {
    if (this.values.size > 0 && !disabled())
      process.stdout.write(`${JSON.stringify(this.serializeMetrics())}\n`);
    this.values = new Map();
    return this;
  }
}

const truthy = (value: string) => ['1', 'true', 'on', 'yes', 'y'].includes(value.trim().toLowerCase());
const disabled = () => {
  const { POWERTOOLS_METRICS_DISABLED: off, POWERTOOLS_DEV: dev } = process.env;
  return off !== undefined ? truthy(off) : truthy(dev ?? '');
};

/**
 * Business metrics as CloudWatch embedded metric format: what the dashboard and the alarms read.
 * Namespace `SoftPartner`, dimension `service` (each function's service name). Counted at the ports, so
 * no use case knows about metrics, and only in the Lambda entry points' wiring (the local stack wires
 * the bare ports and prints none).
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
