/**
 * Relationship scores, one definition used everywhere (SQL recompute, explanations, tests).
 * Ages and silences are reckoned at the user's latest mail, never later than now (see
 * scoringTime): now, for a mailbox in use; an archive's end, for an archive.
 *
 * Mail between the owner and a contact: "sent" is the owner's mail with them in To/Cc/Bcc,
 * "received" is their mail (From). A conversation is a thread with them; it is placed at the
 * day of its first message with them.
 *
 * - Depth 0–1, how much relationship there has been: messages each way (n) and months with mail
 *   (m, distinct calendar months), so that volume and span both count and neither alone makes a
 *   relationship: depth = 1 − e^(−(n + 3·m)/25). Ten messages over five months ≈ 0.63.
 * - Freshness 0.2–1, how alive it is: 0.2 + 0.8·0.5^(days since the last message / 180). Half
 *   a year of silence costs 40%, and years of mail never fall below a fifth: the last weeks of an
 *   archive do not swamp years.
 * - Direction: mail both ways ×1; only the owner writes ×0.8 (writing to someone is engagement,
 *   and archives often lack the replies); only they write ×0.4 and at most 20 (newsletters and
 *   bulk senders stay weak).
 * - Strength 0–100 = 100 · depth · freshness · direction.
 * - Frequency 0–100, how busy it is lately: every message weighted by age with a 90-day
 *   half-life, w = Σ 0.5^(age/90d), frequency = 100·(1 − e^(−w/8)).
 * - Usual gap (rhythm): the median number of days between consecutive conversations (distinct
 *   days on which a conversation with them began); none with fewer than two. In-thread
 *   back-and-forth is one conversation, so the gap is never under a day.
 * - Going cold: the owner has written to them, at least 3 conversations, and a silence longer
 *   than max(3 × the usual gap, 30 days). Ranked by how much it mattered: 100 · depth · direction.
 */
export const DEPTH_SCALE = 25;
export const MONTH_WEIGHT = 3;
export const FRESHNESS_FLOOR = 0.2;
export const FRESHNESS_HALF_LIFE_DAYS = 180;
export const OWNER_ONLY_FACTOR = 0.8;
export const THEIRS_ONLY_FACTOR = 0.4;
export const THEIRS_ONLY_CAP = 20;
export const HALF_LIFE_FREQUENCY_DAYS = 90;
export const FREQUENCY_SCALE = 8;
export const COLD_MIN_CONVERSATIONS = 3;
export const COLD_GAP_FACTOR = 3;
export const COLD_MIN_SILENCE_DAYS = 30;

export function frequencyScore(weightedCount: number) {
  return 100 * (1 - Math.exp(-weightedCount / FREQUENCY_SCALE));
}

export function depth(messages: number, activeMonths: number) {
  return 1 - Math.exp(-(messages + MONTH_WEIGHT * activeMonths) / DEPTH_SCALE);
}

export function freshness(daysSinceLast: number | null) {
  if (daysSinceLast === null) return 0;
  return (
    FRESHNESS_FLOOR +
    (1 - FRESHNESS_FLOOR) * 0.5 ** (Math.max(0, daysSinceLast) / FRESHNESS_HALF_LIFE_DAYS)
  );
}

export type Direction = 'both' | 'owner' | 'theirs' | 'none';

export function directionOf(sent: number, received: number): Direction {
  if (sent > 0 && received > 0) return 'both';
  if (sent > 0) return 'owner';
  return received > 0 ? 'theirs' : 'none';
}

export function directionFactor(direction: Direction) {
  return { both: 1, owner: OWNER_ONLY_FACTOR, theirs: THEIRS_ONLY_FACTOR, none: 0 }[direction];
}

export type StrengthInput = {
  sent: number;
  received: number;
  activeMonths: number;
  daysSinceLast: number | null;
};

export function strengthScore(input: StrengthInput) {
  const direction = directionOf(input.sent, input.received);
  const raw =
    100 *
    depth(input.sent + input.received, input.activeMonths) *
    freshness(input.daysSinceLast) *
    directionFactor(direction);
  return direction === 'theirs' ? Math.min(raw, THEIRS_ONLY_CAP) : raw;
}

/** How much a relationship mattered, whatever its silence: what ranks those going cold. */
export function coldImportance(input: { sent: number; received: number; activeMonths: number }) {
  const direction = directionOf(input.sent, input.received);
  return 100 * depth(input.sent + input.received, input.activeMonths) * directionFactor(direction);
}

export function isGoingCold(input: {
  sent: number;
  conversations: number;
  usualGapDays: number | null;
  daysSinceLast: number | null;
}) {
  if (input.sent === 0 || input.conversations < COLD_MIN_CONVERSATIONS) return false;
  if (input.usualGapDays === null || input.daysSinceLast === null) return false;
  return (
    input.daysSinceLast > Math.max(COLD_GAP_FACTOR * input.usualGapDays, COLD_MIN_SILENCE_DAYS)
  );
}
