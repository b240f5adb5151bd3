import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob } from '../define-job';

/** API rate-limit windows are at most minutes long; rows older than a day are dead weight. */
export const pruneRateLimitsJob = defineJob({
  id: 'maintenance.prune-rate-limits',
  payload: z.object({}),
  options: { retryLimit: 2, retryDelaySeconds: 30, expireInSeconds: 120, schedule: '17 * * * *' },
  async handler(_payload, { db }) {
    const deleted = await db.execute(
      sql`DELETE FROM api_rate_limits WHERE window_start < now() - interval '1 day'`,
    );
    return { deleted: (deleted as { rowCount?: number; affectedRows?: number }).rowCount ?? null };
  },
});
