import fs from 'node:fs';
import { AppError } from '@/server/errors/app-error';
import type { JobQueue } from '@/server/jobs/job-queue';
import { saveUpload } from './upload-store';

const IMPORT_JOB = 'mail.import-mbox';

const busy = () =>
  new AppError(
    'CONFLICT',
    'An import of yours is already on its way: wait for it to finish before uploading another',
  );

/**
 * An uploaded mbox, saved and queued for import: one import per user at a time (a user cannot
 * fill the disk or the import lane with uploads). Checked before the body is read and again
 * before queueing (a second upload that raced the first leaves nothing behind).
 */
export async function queueUploadImport(
  queue: JobQueue,
  o: {
    userId: string;
    body: ReadableStream<Uint8Array>;
    owners: string[];
    name?: string;
    maxBytes: number;
  },
) {
  if (await queue.hasPending(IMPORT_JOB, o.userId)) throw busy();
  const upload = await saveUpload(o.body, o.maxBytes);
  try {
    if (await queue.hasPending(IMPORT_JOB, o.userId)) throw busy();
    const jobId = await queue.enqueue(IMPORT_JOB, {
      userId: o.userId,
      file: upload.file,
      owners: o.owners,
      name: o.name,
      deleteAfter: true,
    });
    if (!jobId) throw busy();
    return { jobId, bytes: upload.size };
  } catch (err) {
    fs.rmSync(upload.file, { force: true });
    throw err;
  }
}
