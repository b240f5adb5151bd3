import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { getEnv } from '@/env';
import { makePrivateDir } from '@/server/db/private-files';

/**
 * Where uploads wait for their import job. On PostgreSQL with workers on other machines this
 * directory must be shared with them (RAPPORT_UPLOAD_DIR).
 */
export function uploadDir() {
  const env = getEnv();
  // A runtime directory, not a project file: keep it out of Next's output tracing.
  return path.resolve(
    /* turbopackIgnore: true */ env.RAPPORT_UPLOAD_DIR ??
      path.join(env.RAPPORT_DATA_DIR, 'uploads'),
  );
}

/** Streams a request body to disk (never into memory); returns the file's path and size. */
export async function saveUpload(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const dir = uploadDir();
  makePrivateDir(dir);
  const file = path.join(dir, `${crypto.randomUUID()}.mbox`);
  let size = 0;
  const counted = Readable.fromWeb(body as WebReadableStream<Uint8Array>).on(
    'data',
    (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) counted.destroy(new Error(`upload larger than ${maxBytes} bytes`));
    },
  );
  try {
    await pipeline(counted, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { file, size };
}
