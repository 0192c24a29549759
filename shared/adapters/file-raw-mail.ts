import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RawMailPort } from '#shared/domain/ports.js';
import { rawMailKey } from './s3-raw-mail.js';

/**
 * The local stand-in for the inbound mail bucket: a folder laid out like the bucket's keys
 * (`inbound/<SES message id>`), written by `POST /local/inbound-email` as SES's S3 action would.
 */
export class FileRawMail implements RawMailPort {
  constructor(private readonly root: string) {}

  private path(sesMessageId: string) {
    if (!/^[\w.-]+$/.test(sesMessageId)) throw new Error('Unsafe message id');
    return join(this.root, rawMailKey(sesMessageId));
  }

  async put(sesMessageId: string, raw: Buffer): Promise<void> {
    const path = this.path(sesMessageId);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, raw);
  }

  key(sesMessageId: string): string {
    return rawMailKey(sesMessageId);
  }

  async get(sesMessageId: string): Promise<Buffer> {
    return readFile(this.path(sesMessageId));
  }
}
