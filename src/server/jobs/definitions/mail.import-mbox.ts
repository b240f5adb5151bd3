import fs from 'node:fs/promises';
import { z } from 'zod';
import { getEnv } from '@/env';
import { importMbox } from '@/server/mail/import-mbox';
import { defineJob } from '../define-job';

/**
 * Imports an mbox file (an upload, or a path the CLI handed to the server). Idempotent: a
 * retry after a crash re-reads the file and stores only what is missing.
 */
export const importMboxJob = defineJob({
  id: 'mail.import-mbox',
  payload: z.object({
    userId: z.string().max(100),
    file: z.string().max(4096),
    owners: z.array(z.string().max(254)).max(100).default([]),
    /** The name the user knows the file by (an upload's own name), for failure references. */
    name: z.string().max(200).optional(),
    /** Uploaded files are removed once imported; files the user pointed at are left alone. */
    deleteAfter: z.boolean().default(false),
  }),
  // A lane several imports wide, each user's one at a time (queueUploadImport): one user's
  // big import does not hold up the others'.
  options: {
    retryLimit: 2,
    retryDelaySeconds: 30,
    expireInSeconds: 3 * 3600,
    workers: () => getEnv().IMPORT_CONCURRENCY,
  },
  singletonKey: (p) => `${p.userId}:${p.file}`,
  async handler(p, { db, queue, attempt }) {
    let done = false;
    try {
      const summary = await importMbox({
        db,
        userId: p.userId,
        file: p.file,
        owners: p.owners,
        name: p.name,
        // An upload's .gz may not unpack to more than the operator allows (a gzip bomb).
        maxDecompressedBytes: p.deleteAfter ? getEnv().MAX_DECOMPRESSED_BYTES : undefined,
      });
      done = true;
      if (summary.contactsCreated > 0)
        await queue.enqueue('contact.enrich', { userId: p.userId, newOnly: true });
      return summary;
    } finally {
      // An upload stays for a retry, and goes once there is none left, whatever the outcome
      // (one whose worker died is swept later: maintenance.sweep-uploads).
      if (p.deleteAfter && (done || attempt >= importMboxJob.options.retryLimit))
        await fs.rm(p.file, { force: true });
    }
  },
});
