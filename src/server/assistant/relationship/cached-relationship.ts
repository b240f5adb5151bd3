import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import type { AskOptions } from '../assistant';
import { modelConfig } from '../model/language-model';
import type { WithEngine } from './structured';
import { suggestNextActions } from './suggest-next-actions';
import { summarizeRelationship } from './summarize-relationship';

/** A kept answer is asked for again after this even with no new mail (its "days ago" age). */
const MAX_AGE_MS = 7 * 86_400_000;

/**
 * The model's answer about a contact, kept per contact and latest email: the contact page asks
 * for a summary and next actions on every view, and with nothing new since the last answer it
 * gets that one back instead of two paid model calls. Only the model's answers are kept (the
 * built-in ones cost nothing and read the clock afresh).
 */
async function keptFor<T extends object>(
  db: DbOrTx,
  o: {
    userId: string;
    contactId: string;
    kind: 'summary' | 'next-actions';
    ai?: AskOptions;
    variant?: string;
    compute: () => Promise<WithEngine<T>>;
  },
): Promise<WithEngine<T>> {
  const model =
    o.ai?.engine === 'builtin'
      ? null
      : o.ai?.model === undefined
        ? modelConfig()
        : (o.ai.model?.config ?? null);
  if (!model) return o.compute();
  const [latest] = rowsOf<{ email_id: string | null }>(
    await db.execute(sql`
      SELECT i.email_id FROM interactions i
       WHERE i.user_id = ${o.userId} AND i.contact_id = ${o.contactId}
       ORDER BY i.occurred_at DESC, i.email_id DESC LIMIT 1`),
  );
  const key = [latest?.email_id ?? 'none', model.provider, model.model, o.variant ?? ''].join('|');
  const [kept] = rowsOf<{ key: string; value: WithEngine<T>; age_ms: number }>(
    await db.execute(sql`
      SELECT key, value, extract(epoch FROM now() - created_at) * 1000 AS age_ms
        FROM assistant_results
       WHERE user_id = ${o.userId} AND contact_id = ${o.contactId} AND kind = ${o.kind}`),
  );
  if (kept && kept.key === key && Number(kept.age_ms) < MAX_AGE_MS) return kept.value;
  const fresh = await o.compute();
  if (fresh.engine === 'model')
    await db.execute(sql`
      INSERT INTO assistant_results (user_id, contact_id, kind, key, value)
      VALUES (${o.userId}, ${o.contactId}, ${o.kind}, ${key}, ${JSON.stringify(fresh)}::jsonb)
      ON CONFLICT (contact_id, kind) DO UPDATE
        SET key = EXCLUDED.key, value = EXCLUDED.value, created_at = now()`);
  return fresh;
}

export function cachedSummary(
  db: DbOrTx,
  userId: string,
  contactId: string,
  options: { ai?: AskOptions; timeZone?: string } = {},
) {
  return keptFor(db, {
    userId,
    contactId,
    kind: 'summary',
    ai: options.ai,
    variant: options.timeZone,
    compute: () => summarizeRelationship(db, userId, contactId, options),
  });
}

export function cachedNextActions(
  db: DbOrTx,
  userId: string,
  contactId: string,
  options: { ai?: AskOptions; now?: Date } = {},
) {
  return keptFor(db, {
    userId,
    contactId,
    kind: 'next-actions',
    ai: options.ai,
    compute: () => suggestNextActions(db, userId, contactId, options),
  });
}
