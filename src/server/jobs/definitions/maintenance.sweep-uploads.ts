import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { uploadDir } from '@/server/mail/upload-store';
import { defineJob } from '../define-job';

/** An upload untouched this long, with no import waiting for it, is left over. */
const STALE_MS = 60 * 60_000;

/**
 * Uploads an import no longer waits for: its job expired with its worker, or the process died
 * between saving and queueing. Hourly; a file being written (fresh mtime) or waiting for its
 * import (queued, retrying or running) stays.
 */
export const sweepUploadsJob = defineJob({
  id: 'maintenance.sweep-uploads',
  payload: z.object({}),
  options: { retryLimit: 1, retryDelaySeconds: 60, expireInSeconds: 300, schedule: '41 * * * *' },
  async handler(_payload, { queue }) {
    const dir = uploadDir();
    if (!fs.existsSync(dir)) return { deleted: 0 };
    const entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'utf8' });
    const waiting = new Set(
      (await queue.pendingValues('mail.import-mbox', 'file')).map((f) => path.resolve(f)),
    );
    let deleted = 0;
    for (const e of entries) {
      if (!e.isFile()) continue;
      const file = path.join(dir, e.name);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st || Date.now() - st.mtimeMs < STALE_MS || waiting.has(file)) continue;
      fs.rmSync(file, { force: true });
      deleted++;
    }
    return { deleted };
  },
});
