import { readEnv } from '#shared/contract.js';

/** Phone numbers as we hold them (E.164) and email addresses. */
const PHONE = /\+\d{7,15}\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;

/** Masks phone numbers and email addresses in free text. */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/** Log levels by threshold, as Powertools numbers them (`POWERTOOLS_LOG_LEVEL` names one). */
const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;

const isLevel = (name: string): name is LogLevel => Object.hasOwn(LEVELS, name);
const truthy = (value = '') => ['1', 'true', 'on', 'yes', 'y'].includes(value.trim().toLowerCase());

/**
 * One JSON object a line, as Powertools Logger writes it for our use (level, message, timestamp, service,
 * sampling_rate, xray_trace_id, then the line's own fields; info to stdout, warnings and errors to
 * stderr), in a few lines instead of its 18 KB in every bundle. Every value goes through `replacer` first.
 */
class JsonLogger {
  private threshold: number;

  constructor(
    private readonly serviceName: string,
    private readonly replacer: (key: string, value: unknown) => unknown,
  ) {
    const configured = (readEnv('POWERTOOLS_LOG_LEVEL') ?? process.env.LOG_LEVEL ?? '').toUpperCase();
    this.threshold = LEVELS[isLevel(configured) ? configured : 'INFO'];
  }

  info(message: string, fields: object = {}): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields: object = {}): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields: object = {}): void {
    this.write('ERROR', message, fields);
  }

  setLogLevel(level: LogLevel): void {
    this.threshold = LEVELS[level];
  }

  getLevelName(): LogLevel {
    return (Object.keys(LEVELS) as LogLevel[]).find((name) => LEVELS[name] === this.threshold) ?? 'INFO';
  }

  private write(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: object): void {
    if (LEVELS[level] < this.threshold) return;
    const trace = process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '');
    const line: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.serviceName,
      sampling_rate: 0,
      ...(trace ? { xray_trace_id: trace } : {}),
      ...fields,
    };
    for (const key of Object.keys(line)) if (line[key] === undefined || line[key] === null) delete line[key];
    const text = JSON.stringify(line, this.jsonReplacer(), truthy(process.env.POWERTOOLS_DEV) ? 4 : 0);
    (level === 'INFO' ? process.stdout : process.stderr).write(`${text}\n`);
  }

  /** `replacer`, then an error as its name, message and stack, a bigint as text, and a cycle cut. */
  private jsonReplacer() {
    const replacer = this.replacer;
    const ancestors: unknown[] = [];
    return function (this: unknown, key: string, value: unknown) {
      let replaced = replacer(key, value);
      if (replaced instanceof Error)
        replaced = { name: replaced.name, message: replaced.message, stack: replaced.stack };
      if (typeof replaced === 'bigint') return replaced.toString();
      if (typeof replaced === 'object' && replaced !== null) {
        // JSON.stringify calls this with the holder of `key` as `this`: its ancestors are what it is inside.
        while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
        if (ancestors.includes(replaced)) return undefined;
        ancestors.push(replaced);
      }
      return replaced;
    };
  }
}

/**
 * One structured logger. We log ids and outcomes only: never a phone number, an email address or a
 * message body. Every string value is masked on its way out as a last line of defence, for what slips
 * in through an error message (a provider's "the number +1… is not valid").
 */
export const logger = new JsonLogger(readEnv('POWERTOOLS_SERVICE_NAME') ?? 'soft-partner', (_key, value) =>
  typeof value === 'string' ? redact(value) : value,
);
