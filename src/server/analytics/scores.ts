/**
 * Relationship scores, one definition used everywhere (SQL recompute, explanations, tests).
 * Ages and silences are reckoned at the user's latest mail, never later than now (see
 * scoringTime): now, for a mailbox in use; an archive's end, for an archive.
 *
 * - Frequency 0–100: mail both ways, each message weighted by its age with a 90-day half-life
 *   (w = Σ 0.5^(age/90d)); frequency = 100·(1 − e^(−w/8)). Eight recent messages ≈ 63.
 * - Recency 0–100: 100·0.5^(days since the last message / 60).
 * - Reciprocity 0–1: 2·min(sent, received)/(sent + received); one-way mail scores 0.
 * - Strength 0–100: 0.45·frequency + 0.30·recency + 25·reciprocity, and one-way relationships
 *   are capped at 25 (mail that never goes both ways is a weak relationship).
 * - Going cold: at least 4 messages both ways in all, and a silence longer than
 *   max(3 × their usual gap, 30 days), where the usual gap is the median time between
 *   consecutive messages. Ranked by how much it mattered: 100·(1 − e^(−total/15))·(0.5 + 0.5·reciprocity).
 */
export const HALF_LIFE_FREQUENCY_DAYS = 90;
export const FREQUENCY_SCALE = 8;
export const HALF_LIFE_RECENCY_DAYS = 60;
export const ONE_WAY_CAP = 25;
export const COLD_MIN_MESSAGES = 4;
export const COLD_GAP_FACTOR = 3;
export const COLD_MIN_SILENCE_DAYS = 30;

export function frequencyScore(weightedCount: number) {
  return 100 * (1 - Math.exp(-weightedCount / FREQUENCY_SCALE));
}

export function recencyScore(daysSinceLast: number | null) {
  return daysSinceLast === null ? 0 : 100 * 0.5 ** (daysSinceLast / HALF_LIFE_RECENCY_DAYS);
}

export function reciprocity(sent: number, received: number) {
  return sent + received === 0 ? 0 : (2 * Math.min(sent, received)) / (sent + received);
}

export function strengthScore(input: {
  frequency: number;
  daysSinceLast: number | null;
  sent: number;
  received: number;
}) {
  const q = reciprocity(input.sent, input.received);
  const raw = 0.45 * input.frequency + 0.3 * recencyScore(input.daysSinceLast) + 25 * q;
  return input.sent === 0 || input.received === 0 ? Math.min(raw, ONE_WAY_CAP) : raw;
}

export function coldImportance(total: number, sent: number, received: number) {
  return 100 * (1 - Math.exp(-total / 15)) * (0.5 + 0.5 * reciprocity(sent, received));
}

export function isGoingCold(input: {
  sent: number;
  received: number;
  usualGapDays: number | null;
  daysSinceLast: number | null;
}) {
  if (input.sent === 0 || input.received === 0) return false;
  if (input.sent + input.received < COLD_MIN_MESSAGES) return false;
  if (input.usualGapDays === null || input.daysSinceLast === null) return false;
  return (
    input.daysSinceLast > Math.max(COLD_GAP_FACTOR * input.usualGapDays, COLD_MIN_SILENCE_DAYS)
  );
}
