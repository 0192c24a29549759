import { addressParser } from 'postal-mime';

/**
 * Whether an emailed reply really comes from the address in its From: header. DMARC passing says so.
 * When the sender's domain publishes no DMARC policy (GRAY), an SPF or DKIM pass is enough only if it
 * is for the From domain itself (aligned, as DMARC would require): a pass for any other domain says
 * nothing about who wrote From:. Read from the topmost Authentication-Results header, the one SES adds
 * (a sender can put their own further down). A From: with more than one mailbox is refused.
 */
export type SenderVerdict =
  | { ok: true; by: 'dmarc' | 'spf_aligned' | 'dkim_aligned' }
  | { ok: false; reason: 'multiple_from' | 'unaligned' };

/** The header block of a raw message, unfolded: name (lower-case) and value, in order. */
function headers(raw: Buffer | string): Array<{ name: string; value: string }> {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return block.split(/\r?\n/).flatMap((line) => {
    const colon = line.indexOf(':');
    return colon > 0
      ? [{ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() }]
      : [];
  });
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Relaxed alignment: the same domain, or one a subdomain of the other (mail.example.org and example.org). */
const aligned = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

/** The mailboxes of every From: header (groups opened up). */
export function fromMailboxes(raw: Buffer | string): string[] {
  return headers(raw)
    .filter((header) => header.name === 'from')
    .flatMap((header) => addressParser(header.value, { flatten: true }))
    .flatMap((entry) => ('address' in entry && entry.address ? [entry.address.toLowerCase()] : []));
}

/** What the topmost Authentication-Results says passed: SPF's and DKIM's domains. */
function passes(raw: Buffer | string): { spf: string[]; dkim: string[] } {
  const top = headers(raw).find((header) => header.name === 'authentication-results')?.value ?? '';
  const spf: string[] = [];
  const dkim: string[] = [];
  for (const clause of top.split(';')) {
    const method = /^\s*(spf|dkim)\s*=\s*pass\b/i.exec(clause)?.[1]?.toLowerCase();
    if (method === 'spf') {
      const domain = /smtp\.(?:mailfrom|helo)\s*=\s*"?([^\s";]+)/i.exec(clause)?.[1];
      if (domain) spf.push(domainOf(domain));
    }
    if (method === 'dkim') {
      const domain = /header\.(?:d|i)\s*=\s*"?@?([^\s";]+)/i.exec(clause)?.[1];
      if (domain) dkim.push(domainOf(domain));
    }
  }
  return { spf, dkim };
}

export function senderVerdict(raw: Buffer | string, dmarc: string | undefined): SenderVerdict {
  const from = fromMailboxes(raw);
  if (from.length > 1) return { ok: false, reason: 'multiple_from' };
  if (dmarc === 'PASS') return { ok: true, by: 'dmarc' };
  const sender = from[0];
  if (!sender) return { ok: false, reason: 'unaligned' };
  const fromDomain = domainOf(sender);
  const { spf, dkim } = passes(raw);
  if (dkim.some((domain) => aligned(domain, fromDomain))) return { ok: true, by: 'dkim_aligned' };
  if (spf.some((domain) => aligned(domain, fromDomain))) return { ok: true, by: 'spf_aligned' };
  return { ok: false, reason: 'unaligned' };
}
