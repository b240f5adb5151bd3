import { z } from 'zod';
import { reextractContacts } from '@/server/contacts/reextract-contacts';
import { defineJob } from '../define-job';

/** Contact extraction again over all stored mail, when the rules improved. Idempotent. */
export const reextractContactsJob = defineJob({
  id: 'contact.reextract',
  payload: z.object({ userId: z.string().max(100) }),
  options: { retryLimit: 1, retryDelaySeconds: 60, expireInSeconds: 3 * 3600 },
  singletonKey: (p) => p.userId,
  handler: (p, { db }) => reextractContacts(db, { userId: p.userId }),
});
