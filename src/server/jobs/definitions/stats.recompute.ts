import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { recomputeStats } from '@/server/analytics/recompute-stats';
import { rowsOf } from '@/server/db/client';
import { defineJob } from '../define-job';

/**
 * Full recompute: one user's contacts, or (the daily schedule) everyone's, so the
 * time-dependent scores (recency, going cold) stay right as days pass without new mail.
 */
export const recomputeStatsJob = defineJob({
  id: 'stats.recompute',
  payload: z.object({ userId: z.string().max(100).optional() }),
  options: { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 3600, schedule: '30 3 * * *' },
  singletonKey: (p) => p.userId ?? 'all',
  async handler(p, { db }) {
    const users = p.userId
      ? [p.userId]
      : rowsOf<{ id: string }>(await db.execute(sql`SELECT id FROM users`)).map((u) => u.id);
    let contacts = 0;
    for (const userId of users) contacts += await recomputeStats(db, { userId });
    return { users: users.length, contacts };
  },
});
