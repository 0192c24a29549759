import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { DynamoDbLocalScheduler } from '#shared/adapters/dynamodb-local-scheduler.js';
import type { LocalTwilioApi } from '../twilio-api.js';
import type { VirtualClock } from '../virtual-clock.js';

/** A text the webhook received, kept so the simulator's phones show the member's own words after a reload. */
export interface InboundText {
  sid: string;
  from: string;
  to: string;
  body: string;
  at: string;
  /** How many outbox texts were sent before this one arrived: orders it among them (virtual time often ties). */
  afterOutbox: number;
  /** The webhook's HTTP status: 200, or 403 for a bad signature. */
  status: number;
}

export interface SimulatorDeps {
  scheduler: Pick<DynamoDbLocalScheduler, 'due'>;
  twilioApi: Pick<LocalTwilioApi, 'messages'>;
  clock: VirtualClock;
  sesUrl: string;
  /** Virtual send time per SES message id. */
  emailSentAt: ReadonlyMap<string, string>;
  /** What the page needs to act as the operator (enroll) and as Twilio (sign texts). */
  config: {
    apiKey: string;
    twilioAuthToken: string;
    twilioAccountSid: string;
    twilioNumber: string;
    /** The URL Twilio signs: PUBLIC_BASE_URL + the webhook path. */
    webhookUrl: string;
  };
}

interface SesStoreEmail {
  messageId: string;
  replyTo?: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** The page and its style sheet, served as written: no build step. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/local/simulator/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  // Browsers ask for it on their own; without it every page load logged a 404.
  '/favicon.ico': { file: 'favicon.ico', type: 'image/x-icon' },
};

/**
 * The page's ES modules (`modules/*.js`), served as written. A name is letters, digits and dashes only, so
 * no path can leave the directory; a name with no file is a 404.
 */
const MODULE_PATH = /^\/local\/simulator\/modules\/([a-z0-9-]+)\.js$/;
const MODULE_TYPE = 'text/javascript; charset=utf-8';

/**
 * Scripts only from this origin; emails are shown in sandboxed srcdoc frames, which inherit this policy,
 * so even a hostile email could neither run script nor load anything from the network.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Far beyond any schedule: the scheduler's `due` then lists every pending one, with its payload. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

/**
 * The browser simulator (`/` and `/local/simulator/*`): a page with one phone and one inbox per member,
 * clock controls and a state panel, driving the local stack only through its public HTTP surface. The
 * routes here add what a browser cannot see otherwise: the texts members sent, the pending schedules,
 * the SES message ids, and the local stack's fixed settings.
 */
export class LocalSimulator {
  readonly inbound: InboundText[] = [];
  /** Partnerships enrolled since the stack started, so the page can offer them after a reload. */
  readonly partnershipIds: string[] = [];

  constructor(private readonly deps: SimulatorDeps) {}

  /** Called by the router as a text reaches the webhook; returns a callback for the webhook's status. */
  receiveText(form: URLSearchParams): (status: number) => void {
    const text: InboundText = {
      sid: form.get('MessageSid') ?? '',
      from: form.get('From') ?? '',
      to: form.get('To') ?? '',
      body: form.get('Body') ?? '',
      at: this.deps.clock.now().toISOString(),
      afterOutbox: this.deps.twilioApi.messages.length,
      status: 0,
    };
    this.inbound.push(text);
    return (status) => {
      text.status = status;
    };
  }

  /** Called by the router after POST /partnerships answered. */
  enrolled(status: number, body: string) {
    if (status !== 201) return;
    const { id } = JSON.parse(body) as { id?: unknown };
    if (typeof id === 'string' && !this.partnershipIds.includes(id)) this.partnershipIds.push(id);
  }

  /** Answers the simulator's routes; false when the request is not one of them. */
  async handle(method: string, path: string, url: URL, response: ServerResponse): Promise<boolean> {
    if (method !== 'GET') return false;
    const asset = ASSETS[path] ?? moduleAsset(path);
    if (asset) {
      const body = await readAsset(asset.file);
      if (!body) return false;
      response.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(path === '/' ? { 'content-security-policy': PAGE_POLICY, 'referrer-policy': 'no-referrer' } : {}),
      });
      response.end(body);
      return true;
    }
    switch (path) {
      // The API key and the Twilio auth token are the local stack's fixed development values, and the
      // stack listens on loopback only; no other origin can read this (no CORS headers). In AWS there is
      // no such route: the real secrets live in Secrets Manager.
      case '/local/simulator/config':
        writeJson(response, this.deps.config);
        return true;
      case '/local/simulator/inbound':
        writeJson(response, { sms: this.inbound });
        return true;
      case '/local/simulator/partnerships':
        writeJson(response, { ids: this.partnershipIds });
        return true;
      case '/local/simulator/schedules':
        writeJson(response, { schedules: await this.schedules(url.searchParams.get('partnership')) });
        return true;
      case '/local/simulator/emails':
        writeJson(response, { email: await this.emails() });
        return true;
      default:
        return false;
    }
  }

  /** Pending schedules, earliest first, with what each will do. */
  private async schedules(partnershipId: string | null) {
    const pending = await this.deps.scheduler.due(END_OF_TIME, 10_000);
    return pending
      .map(({ name, payload, dueAt }) => {
        const step = JSON.parse(payload) as {
          kind: string;
          memberId: string;
          partnershipId: string;
          localDate?: string;
        };
        return {
          name,
          kind: step.kind,
          memberId: step.memberId,
          partnershipId: step.partnershipId,
          at: dueAt,
          ...(step.localDate ? { localDate: step.localDate } : {}),
        };
      })
      .filter((schedule) => !partnershipId || schedule.partnershipId === partnershipId);
  }

  /** The outbox's emails with their SES message ids, so a reply can say which one it answers. */
  private async emails() {
    const ses = (await (await fetch(`${this.deps.sesUrl}/store`)).json()) as { emails: SesStoreEmail[] };
    return ses.emails.map((email) => ({
      messageId: email.messageId,
      to: email.destination.to.join(', '),
      subject: email.subject,
      html: email.body.html ?? '',
      text: email.body.text ?? '',
      replyTo: email.replyTo?.[0] ?? null,
      at: this.deps.emailSentAt.get(email.messageId) ?? new Date(email.at * 1000).toISOString(),
    }));
  }
}

function moduleAsset(path: string): { file: string; type: string } | undefined {
  const name = MODULE_PATH.exec(path)?.[1];
  return name ? { file: `modules/${name}.js`, type: MODULE_TYPE } : undefined;
}

/** A file of this directory, or undefined when there is none (a module name nobody wrote). */
async function readAsset(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(new URL(file, import.meta.url));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function writeJson(response: ServerResponse, body: unknown) {
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
