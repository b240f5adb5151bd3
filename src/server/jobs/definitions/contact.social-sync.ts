import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '@/server/db/client';
import { enrichContacts } from '@/server/enrichment/enrich-contacts';
import { getPipeline } from '@/server/enrichment/pipeline';
import { defineJob } from '../define-job';

/** The seed's social-media-sync: known contacts' recent X posts, refreshed every day. */
export const socialSyncJob = defineJob({
  id: 'contact.social-sync',
  payload: z.object({}),
  options: { retryLimit: 1, retryDelaySeconds: 600, expireInSeconds: 3600, schedule: '40 5 * * *' },
  singletonKey: () => 'all',
  async handler(_p, { db }) {
    const pipeline = getPipeline();
    if (!pipeline.providers.some((p) => p.name === 'x'))
      return { skipped: 'X_BEARER_TOKEN is not set' };
    const rows = rowsOf<{ user_id: string; id: string }>(
      await db.execute(sql`
        SELECT user_id, id FROM contacts WHERE NOT hidden AND links ->> 'x' IS NOT NULL LIMIT 5000`),
    );
    const byUser = new Map<string, string[]>();
    for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.id]);
    let refreshed = 0;
    for (const [userId, contactIds] of byUser) {
      const r = await enrichContacts(db, pipeline, {
        userId,
        contactIds,
        force: true,
        only: ['x'],
      });
      refreshed += r.enriched;
    }
    return { contacts: rows.length, refreshed };
  },
});
