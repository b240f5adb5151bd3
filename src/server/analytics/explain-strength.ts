import { everyText, formatAgo } from '@/lib/format-duration';
import { reciprocity } from './scores';

export type StatsForExplanation = {
  emailsSent: number;
  emailsReceived: number;
  lastInteractionAt: Date | null;
  myReplyMedianHours: number | null;
  theirReplyMedianHours: number | null;
  strengthScore: number;
  goingCold: boolean;
  usualGapDays: number | null;
  /** The moment the scores were reckoned at (the user's latest mail; see scoringTime). */
  computedAt?: Date | null;
};

/** Scores reckoned this long before now are said to be: an archive's, as it stood. */
const ARCHIVE_DAYS = 30;

function hours(h: number) {
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}

/** Why a relationship scores what it does, in a line a person reads ("strong because: …"). */
export function explainStrength(s: StatsForExplanation, now = new Date()) {
  const total = s.emailsSent + s.emailsReceived;
  const level = s.strengthScore >= 60 ? 'strong' : s.strengthScore >= 30 ? 'moderate' : 'weak';
  const reasons: string[] = [];
  if (total === 0) return { level: 'none', text: 'no mail yet' };
  reasons.push(
    s.emailsSent && s.emailsReceived
      ? `${total} emails both ways (${s.emailsSent} sent, ${s.emailsReceived} received)`
      : s.emailsSent
        ? `${s.emailsSent} emails sent, none back`
        : `${s.emailsReceived} emails received, you never wrote back`,
  );
  if (s.lastInteractionAt) {
    reasons.push(`last ${formatAgo((now.getTime() - s.lastInteractionAt.getTime()) / 86_400_000)}`);
  }
  if (s.myReplyMedianHours !== null)
    reasons.push(`you reply within ${hours(s.myReplyMedianHours)}`);
  if (s.theirReplyMedianHours !== null)
    reasons.push(`they reply within ${hours(s.theirReplyMedianHours)}`);
  if (reciprocity(s.emailsSent, s.emailsReceived) === 0)
    reasons.push('one-way mail counts as weak');
  if (s.goingCold && s.usualGapDays !== null) {
    reasons.push(`going cold: you usually write ${everyText(s.usualGapDays)}`);
  }
  const asOf =
    s.computedAt && now.getTime() - s.computedAt.getTime() > ARCHIVE_DAYS * 86_400_000
      ? ` (scored as of your latest mail, ${new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(s.computedAt)})`
      : '';
  return { level, text: `${level} because: ${reasons.join(', ')}${asOf}` };
}
