import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '@/server/db/client';
import type { DisplayHtml } from '@/server/mail/display-html';
import { jsonRows } from '@/server/mail/json-param';
import { ParsePool } from '@/server/mail/parse-pool';
import { defineJob } from '../define-job';
import type { JobQueue } from '../job-queue';

/** Messages per round: each may hold up to 2 MB of raw HTML. */
const BATCH = 20;

/**
 * Makes stored raw HTML safe to show: mail stored before ingest sanitised it, or restored from
 * an older backup. Each message's HTML is flattened and sanitised on a parse worker (its time
 * and heap limits; a message past them is shown as text) and written back, a batch at a time
 * until none is left. Enqueued when the server starts and when such a message is opened;
 * idempotent (it takes only what is still raw).
 */
export const sanitizeHtmlJob = defineJob({
  id: 'mail.sanitize-html',
  payload: z.object({}),
  options: { retryLimit: 3, retryDelaySeconds: 60, expireInSeconds: 3600 },
  singletonKey: () => 'all',
  async handler(_payload, { db }) {
    const pool = new ParsePool({ size: 1 });
    const asText: DisplayHtml = { html: null, asText: true };
    let sanitized = 0;
    try {
      for (;;) {
        const raw = rowsOf<{ id: string; html: string }>(
          await db.execute(sql`
            SELECT id, body_html AS html FROM emails
             WHERE body_html IS NOT NULL AND NOT html_sanitized ORDER BY id LIMIT ${BATCH}`),
        );
        if (raw.length === 0) return { sanitized };
        const done = await Promise.all(
          raw.map(async ({ id, html }) => {
            const shown = await pool.displayHtml(html).catch(() => asText);
            return { id, html: shown.html, asText: shown.asText };
          }),
        );
        await db.execute(sql`
          UPDATE emails e SET body_html = v.html, html_as_text = v."asText", html_sanitized = true
            FROM json_to_recordset(${jsonRows(done)}::json) AS v(id uuid, html text, "asText" boolean)
           WHERE e.id = v.id`);
        sanitized += raw.length;
      }
    } finally {
      await pool.close();
    }
  },
});

/** Queues the job when some stored HTML is still raw (an index of just those rows answers). */
export async function sanitizeStoredHtml(db: Db, queue: JobQueue) {
  const [raw] = rowsOf<{ id: string }>(
    await db.execute(
      sql`SELECT id FROM emails WHERE body_html IS NOT NULL AND NOT html_sanitized LIMIT 1`,
    ),
  );
  if (raw) await queue.enqueue(sanitizeHtmlJob, {});
}
