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

/**
 * How often, from a usual gap in days, in the unit a person would use: "every day", "every 3
 * days", "every 2 weeks", "every 3 months", "every 2 years" (hours only for gaps under a day).
 */
export function everyText(days: number): string {
  const every = (n: number, one: string) => (n === 1 ? `every ${one}` : `every ${n} ${one}s`);
  if (days < 1) return every(Math.max(1, Math.round(days * 24)), 'hour');
  if (days < 10.5) return every(Math.round(days), 'day');
  if (days < 7 * 7) return every(Math.round(days / 7), 'week');
  if (days < 365) return every(Math.round(days / 30.4), 'month');
  return every(Math.round(days / 365), 'year');
}
