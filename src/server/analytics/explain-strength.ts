import { everyText, formatAgo, formatDays } from '@/lib/format-duration';
import {
  depth,
  directionFactor,
  directionOf,
  freshness,
  THEIRS_ONLY_CAP,
  type Direction,
} from './scores';

export type StatsForExplanation = {
  emailsSent: number;
  emailsReceived: number;
  /** Distinct calendar months with mail between you (see scores.ts). */
  activeMonths?: number | null;
  firstInteractionAt?: Date | null;
  lastInteractionAt: Date | null;
  myReplyMedianHours: number | null;
  theirReplyMedianHours: number | null;
  strengthScore: number;
  goingCold: boolean;
  usualGapDays: number | null;
  /** The moment the scores were reckoned at (the user's latest mail; see scoringTime). */
  computedAt?: Date | null;
};

/** One factor of the strength: its name, its value in the product, and the facts behind it. */
export type StrengthFactor = { name: string; value: number; detail: string };

/** Scores reckoned this long before now are said to be: an archive's, as it stood. */
const ARCHIVE_DAYS = 30;
const DAY = 86_400_000;

function hours(h: number) {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

function volumeText(sent: number, received: number, direction: Direction) {
  const total = sent + received;
  if (direction === 'both') return `${total} emails both ways (${sent} sent, ${received} received)`;
  if (direction === 'owner') return `${plural(sent, 'email')} from you, none back in your mail`;
  return `${plural(received, 'email')} from them, you never wrote back`;
}

const DIRECTION_TEXT: Record<Direction, string> = {
  both: 'mail goes both ways',
  owner: 'only you write, which still counts: writing to someone is engagement',
  theirs: `only they write: one-way mail to you counts as weak (at most ${THEIRS_ONLY_CAP})`,
  none: 'no mail',
};

/**
 * Why a relationship scores what it does: a line a person reads ("strong because: …") and the
 * factors of the formula (scores.ts), each with its number and the facts behind it.
 */
export function explainStrength(s: StatsForExplanation, now = new Date()) {
  const total = s.emailsSent + s.emailsReceived;
  const level = s.strengthScore >= 60 ? 'strong' : s.strengthScore >= 30 ? 'moderate' : 'weak';
  if (total === 0)
    return { level: 'none', text: 'no mail yet', factors: [] as StrengthFactor[], notes: [] };
  const direction = directionOf(s.emailsSent, s.emailsReceived);
  const months = s.activeMonths ?? 0;
  const at = s.computedAt ?? now;
  const archive = now.getTime() - at.getTime() > ARCHIVE_DAYS * DAY;
  const silence = s.lastInteractionAt ? (at.getTime() - s.lastInteractionAt.getTime()) / DAY : null;
  const span =
    s.firstInteractionAt && s.lastInteractionAt
      ? (s.lastInteractionAt.getTime() - s.firstInteractionAt.getTime()) / DAY
      : null;
  const lastText =
    silence === null
      ? null
      : archive
        ? silence < 1
          ? 'last on the day of your latest mail'
          : `last ${formatDays(silence)} before your latest mail`
        : `last ${formatAgo(silence)}`;

  const factors: StrengthFactor[] = [
    {
      name: 'Depth',
      value: round2(depth(total, months)),
      detail:
        `${volumeText(s.emailsSent, s.emailsReceived, direction)}, in ${plural(months, 'month')} with mail` +
        (span !== null && span >= 30 ? ` over ${formatDays(span)}` : ''),
    },
    {
      name: 'Freshness',
      value: round2(freshness(silence)),
      detail: lastText ?? 'no mail yet',
    },
    { name: 'Direction', value: directionFactor(direction), detail: DIRECTION_TEXT[direction] },
  ];

  // What else there is to say, beside the factors.
  const notes: string[] = [];
  if (s.myReplyMedianHours !== null) notes.push(`you reply within ${hours(s.myReplyMedianHours)}`);
  if (s.theirReplyMedianHours !== null)
    notes.push(`they reply within ${hours(s.theirReplyMedianHours)}`);
  if (direction === 'theirs') notes.push('one-way mail to you counts as weak');
  if (s.goingCold && s.usualGapDays !== null)
    notes.push(`going cold: you are usually in touch ${everyText(s.usualGapDays)}`);
  const asOf = archive
    ? `scored as of your latest mail, ${new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(at)}`
    : null;
  const reasons = [factors[0]!.detail, ...(lastText ? [lastText] : []), ...notes];
  return {
    level,
    text: `${level} because: ${reasons.join(', ')}${asOf ? ` (${asOf})` : ''}`,
    factors,
    notes: asOf ? [...notes, asOf] : notes,
  };
}
