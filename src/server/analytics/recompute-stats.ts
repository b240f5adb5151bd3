import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { isMailingSql } from './mailing-text';
import { ownerAddresses } from './owner-addresses';
import {
  COLD_GAP_FACTOR,
  COLD_MIN_CONVERSATIONS,
  COLD_MIN_SILENCE_DAYS,
  DEPTH_SCALE,
  FREQUENCY_SCALE,
  FRESHNESS_FLOOR,
  FRESHNESS_HALF_LIFE_DAYS,
  HALF_LIFE_FREQUENCY_DAYS,
  MONTH_WEIGHT,
  OWNER_ONLY_FACTOR,
  THEIRS_ONLY_CAP,
  THEIRS_ONLY_FACTOR,
} from './scores';

/** The formula's constants written into the statement (parameters would be typed as integers). */
const k = (n: number) => sql.raw(String(n));

export type RecomputeOptions = {
  userId: string;
  /** The contacts to recompute; all of the user's when omitted. */
  contactIds?: string[];
  /** The moment the time-dependent scores are reckoned at (tests pin it); see scoringTime. */
  now?: Date;
};

/**
 * The moment a user's time-dependent scores (frequency, recency, going cold) are reckoned at:
 * their latest mail, and never later than now. A mailbox in use has mail from today, so this is
 * now; an archive imported years after its last message is scored as it stood when it ended
 * (reckoned from today, every score of it would have decayed to nothing, and the strongest
 * relationships would be whoever wrote once each way). Null when the user has no mail.
 */
export async function scoringTime(db: DbOrTx, userId: string): Promise<Date | null> {
  const [row] = rowsOf<{ at: string | Date | null }>(
    await db.execute(sql`
      SELECT least(now(), max(occurred_at)) AS at FROM interactions
       WHERE user_id = ${userId} AND type = 'email'`),
  );
  return row?.at ? new Date(row.at) : null;
}

/**
 * Recomputes contact_stats for a set of contacts in one statement (the formulas are
 * documented in scores.ts). Messages: "received" are those the contact sent (From); "sent"
 * are the owner's with the contact in To/Cc/Bcc. Reply pairing, per contact and thread in
 * time order: each owner message answers the contact's messages not yet answered before it,
 * one sample from the earliest of them; their replies to the owner likewise.
 */
export async function recomputeStats(db: DbOrTx, options: RecomputeOptions) {
  const ids = options.contactIds ?? null;
  if (ids && ids.length === 0) return 0;
  const now = (options.now ?? (await scoringTime(db, options.userId)) ?? new Date()).toISOString();
  const userId = options.userId;
  // The contacts by id when given; otherwise all of the user's, with no join to them (a join
  // to the whole set was planned as a nested loop over every interaction: 1.5 s for 7,000
  // people, against 0.2 s).
  const contact = (column: SQL) =>
    ids ? sql`AND ${column} = ANY(${sql.param(ids)}::uuid[])` : sql``;
  const result = await db.execute(sql`
    WITH targets AS (
      SELECT c.id FROM contacts c WHERE c.user_id = ${userId} ${contact(sql`c.id`)}
    ),
    owners AS (SELECT ${ownerAddresses(userId)} AS list),
    ev AS (
      SELECT i.contact_id, coalesce(i.thread_id, i.email_id::text, i.id::text) AS thread, i.email_id,
             i.occurred_at AS t,
             CASE WHEN i.role = 'from' THEN 'in' ELSE 'out' END AS kind
        FROM interactions i
       WHERE i.user_id = ${userId} AND i.type = 'email' ${contact(sql`i.contact_id`)}
         AND (i.role = 'from' OR (i.direction = 'outbound' AND i.role IN ('to', 'cc', 'bcc')))
    ),
    counts AS (
      SELECT contact_id,
        count(*) FILTER (WHERE kind = 'out')::int AS sent,
        count(*) FILTER (WHERE kind = 'in')::int AS received,
        count(DISTINCT date_trunc('month', t AT TIME ZONE 'UTC'))::int AS months,
        min(t) AS first_at, max(t) AS last_at,
        min(t) FILTER (WHERE kind = 'out') AS first_sent, max(t) FILTER (WHERE kind = 'out') AS last_sent,
        min(t) FILTER (WHERE kind = 'in') AS first_received, max(t) FILTER (WHERE kind = 'in') AS last_received,
        sum(power(0.5, greatest(0, extract(epoch FROM ${now}::timestamptz - t)) / 86400.0 / ${k(HALF_LIFE_FREQUENCY_DAYS)})) AS weighted
      FROM ev GROUP BY contact_id
    ),
    direct AS (
      -- People the owner never wrote to, who wrote to the owner (an owner address on their
      -- mail, and not a mass mailing's text): in the network too. Those the owner wrote to
      -- need no look at their mail; robots are never people.
      SELECT c.contact_id FROM counts c
       WHERE c.sent = 0
         AND EXISTS (SELECT 1 FROM contacts p WHERE p.id = c.contact_id AND p.is_human)
         AND EXISTS (
           SELECT 1 FROM interactions i JOIN emails e ON e.id = i.email_id, owners o
            WHERE i.user_id = ${userId} AND i.contact_id = c.contact_id AND i.role = 'from'
              AND e.user_id = ${userId} AND e.participants && o.list
              AND NOT ${isMailingSql(sql`coalesce(e.body_text, '')`)})
    ),
    marked AS (
      SELECT *, CASE WHEN kind IS DISTINCT FROM lag(kind) OVER w THEN 1 ELSE 0 END AS starts
        FROM ev WINDOW w AS (PARTITION BY contact_id, thread ORDER BY t, email_id)
    ),
    numbered AS (
      SELECT *, sum(starts) OVER (PARTITION BY contact_id, thread ORDER BY t, email_id) AS run
        FROM marked
    ),
    runs AS (
      SELECT contact_id, thread, run, min(kind) AS kind, min(t) AS started
        FROM numbered GROUP BY contact_id, thread, run
    ),
    samples AS (
      -- The run after a run of the other side's messages is its answer: one sample each.
      SELECT contact_id, thread, kind,
             extract(epoch FROM lead(started) OVER (PARTITION BY contact_id, thread ORDER BY run) - started) / 3600.0 AS hours
        FROM runs
    ),
    replies AS (
      SELECT contact_id,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE kind = 'in') AS my_median,
        avg(hours) FILTER (WHERE kind = 'in') AS my_mean,
        count(DISTINCT thread) FILTER (WHERE kind = 'in')::int AS my_threads,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE kind = 'out') AS their_median,
        avg(hours) FILTER (WHERE kind = 'out') AS their_mean,
        count(DISTINCT thread) FILTER (WHERE kind = 'out')::int AS their_threads
      FROM samples WHERE hours IS NOT NULL GROUP BY contact_id
    ),
    conversations AS (
      -- Each conversation (thread) on the day its mail with them began.
      SELECT contact_id, (min(t) AT TIME ZONE 'UTC')::date AS day FROM ev GROUP BY contact_id, thread
    ),
    rhythm AS (
      -- Gaps between the distinct days conversations began: whole days, never zero.
      SELECT contact_id, sum(n)::int AS conversations,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS usual_gap
        FROM (SELECT contact_id, count(*) AS n,
                     day - lag(day) OVER (PARTITION BY contact_id ORDER BY day) AS gap
                FROM conversations GROUP BY contact_id, day) g
       GROUP BY contact_id
    ),
    scored AS (
      SELECT targets.id AS contact_id,
        coalesce(c.sent, 0) AS sent, coalesce(c.received, 0) AS received, coalesce(c.months, 0) AS months,
        c.first_at, c.last_at, c.first_sent, c.last_sent, c.first_received, c.last_received,
        r.my_median, r.my_mean, coalesce(r.my_threads, 0) AS my_threads,
        r.their_median, r.their_mean, coalesce(r.their_threads, 0) AS their_threads,
        round((100 * (1 - exp(-coalesce(c.weighted, 0) / ${k(FREQUENCY_SCALE)})))::numeric, 3) AS frequency,
        CASE WHEN c.last_at IS NULL THEN NULL
             ELSE greatest(0, extract(epoch FROM ${now}::timestamptz - c.last_at) / 86400.0) END AS silence,
        g.usual_gap,
        coalesce(g.conversations, 0) AS conversations,
        (coalesce(c.sent, 0) > 0 OR d.contact_id IS NOT NULL) AS corresponded
      FROM targets
      LEFT JOIN counts c ON c.contact_id = targets.id
      LEFT JOIN replies r ON r.contact_id = targets.id
      LEFT JOIN rhythm g ON g.contact_id = targets.id
      LEFT JOIN direct d ON d.contact_id = targets.id
    ),
    factors AS (
      SELECT *,
        1 - exp(-(sent + received + ${k(MONTH_WEIGHT)} * months) / ${k(DEPTH_SCALE)}::float8) AS depth,
        -- Rounded: decayed scores of years-old mail underflow a real column.
        CASE WHEN silence IS NULL THEN 0
             ELSE ${k(FRESHNESS_FLOOR)} + ${k(1 - FRESHNESS_FLOOR)} * round(power(0.5, silence / ${k(FRESHNESS_HALF_LIFE_DAYS)})::numeric, 6) END AS freshness,
        CASE WHEN sent > 0 AND received > 0 THEN 1
             WHEN sent > 0 THEN ${k(OWNER_ONLY_FACTOR)}
             WHEN received > 0 THEN ${k(THEIRS_ONLY_FACTOR)} ELSE 0 END AS direction,
        (sent > 0 AND conversations >= ${k(COLD_MIN_CONVERSATIONS)} AND usual_gap IS NOT NULL
          AND silence > greatest(${k(COLD_GAP_FACTOR)} * usual_gap, ${k(COLD_MIN_SILENCE_DAYS)})) AS cold
      FROM scored
    )
    INSERT INTO contact_stats AS s (contact_id, user_id, emails_sent, emails_received, total_emails,
      first_interaction_at, last_interaction_at, first_sent_at, last_sent_at, first_received_at,
      last_received_at, their_reply_median_hours, their_reply_mean_hours, their_replied_threads,
      my_reply_median_hours, my_reply_mean_hours, my_replied_threads, frequency_score,
      strength_score, usual_gap_days, conversations, active_months, corresponded, going_cold,
      cold_score, computed_at)
    SELECT contact_id, ${userId}, sent, received, sent + received,
      first_at, last_at, first_sent, last_sent, first_received, last_received,
      their_median, their_mean, their_threads, my_median, my_mean, my_threads, frequency,
      round((CASE WHEN sent = 0 AND received > 0
                  THEN least(${k(THEIRS_ONLY_CAP)}, 100 * depth * freshness * direction)
                  ELSE 100 * depth * freshness * direction END)::numeric, 3),
      usual_gap, conversations, months, corresponded, cold,
      CASE WHEN cold THEN round((100 * depth * direction)::numeric, 3) ELSE 0 END,
      ${now}::timestamptz
    FROM factors
    ON CONFLICT (contact_id) DO UPDATE SET
      emails_sent = EXCLUDED.emails_sent, emails_received = EXCLUDED.emails_received,
      total_emails = EXCLUDED.total_emails, first_interaction_at = EXCLUDED.first_interaction_at,
      last_interaction_at = EXCLUDED.last_interaction_at, first_sent_at = EXCLUDED.first_sent_at,
      last_sent_at = EXCLUDED.last_sent_at, first_received_at = EXCLUDED.first_received_at,
      last_received_at = EXCLUDED.last_received_at,
      their_reply_median_hours = EXCLUDED.their_reply_median_hours,
      their_reply_mean_hours = EXCLUDED.their_reply_mean_hours,
      their_replied_threads = EXCLUDED.their_replied_threads,
      my_reply_median_hours = EXCLUDED.my_reply_median_hours,
      my_reply_mean_hours = EXCLUDED.my_reply_mean_hours,
      my_replied_threads = EXCLUDED.my_replied_threads, frequency_score = EXCLUDED.frequency_score,
      strength_score = EXCLUDED.strength_score, usual_gap_days = EXCLUDED.usual_gap_days,
      conversations = EXCLUDED.conversations, active_months = EXCLUDED.active_months,
      corresponded = EXCLUDED.corresponded,
      going_cold = EXCLUDED.going_cold, cold_score = EXCLUDED.cold_score,
      computed_at = EXCLUDED.computed_at
    RETURNING contact_id`);
  return rowsOf(result).length;
}
