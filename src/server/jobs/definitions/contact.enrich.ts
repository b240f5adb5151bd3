import { z } from 'zod';
import { enrichContacts } from '@/server/enrichment/enrich-contacts';
import { getPipeline } from '@/server/enrichment/pipeline';
import { defineJob } from '../define-job';

/**
 * Enriches contacts in batches: new contacts after a sync or import (`newOnly`), given ones, or
 * all of a user's people (`rapport enrich --all`). A batch that hit its limit queues the next.
 */
export const enrichContactsJob = defineJob({
  id: 'contact.enrich',
  payload: z.object({
    userId: z.string().max(100),
    contactIds: z.array(z.string().max(100)).max(1000).optional(),
    newOnly: z.boolean().default(true),
    force: z.boolean().default(false),
  }),
  options: { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 1800 },
  singletonKey: (p) =>
    `${p.userId}:${p.contactIds ? p.contactIds.slice(0, 3).join(',') : p.newOnly ? 'new' : 'all'}`,
  async handler(p, { db, queue }) {
    const r = await enrichContacts(db, getPipeline(), { ...p, limit: 300 });
    if (r.more && p.newOnly) await queue.enqueue(enrichContactsJob.id, p);
    return r;
  },
});
