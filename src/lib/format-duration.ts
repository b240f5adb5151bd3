/** "1 day", "3 days": a count with its unit, plural when it is not one. */
const unit = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/**
 * A reply time in words, as the contact page and the assistant both say it: minutes under an
 * hour, hours (one decimal) under two days, days beyond ("45 minutes", "3.2 hours", "17.4 days").
 */
export function formatHours(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return minutes === 60 ? unit(1, 'hour') : unit(minutes, 'minute');
  }
  const tenthsOfHours = Math.round(hours * 10) / 10;
  if (tenthsOfHours < 48) return unit(tenthsOfHours, 'hour');
  return unit(Math.round((hours / 24) * 10) / 10, 'day');
}

/** A span of days in words: "1 day", "12 days", "4 months", "25 years". */
export function formatDays(days: number): string {
  if (days < 60) return unit(Math.max(1, Math.round(days)), 'day');
  if (days < 730) return unit(Math.round(days / 30), 'month');
  return unit(Math.round(days / 365), 'year');
}

/** How long ago, from a number of days: "today", "yesterday", "12 days ago", "25 years ago". */
export function formatAgo(days: number): string {
  if (days < 1) return 'today';
  if (days < 2) return 'yesterday';
  return `${formatDays(days)} ago`;
}

/** How often, from a gap in days: "every 9 hours", "every day", "every 3 days" (1 hour at least). */
export function everyText(days: number): string {
  const hours = Math.max(1, Math.round(days * 24));
  if (days < 1) return hours === 1 ? 'every hour' : `every ${hours} hours`;
  const d = Math.round(days);
  return d === 1 ? 'every day' : `every ${d} days`;
}
