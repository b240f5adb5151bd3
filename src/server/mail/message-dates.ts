const EARLIEST = Date.UTC(1971, 0, 1);
const FUTURE_SLACK_MS = 2 * 24 * 3600 * 1000;

export function isPlausibleDate(d: Date | null | undefined, now = Date.now()): d is Date {
  return (
    !!d &&
    !Number.isNaN(d.getTime()) &&
    d.getTime() >= EARLIEST &&
    d.getTime() <= now + FUTURE_SLACK_MS
  );
}

/**
 * The message's date: its Date header (timezone-correct; a 2- or 3-digit year is read as RFC
 * 5322 says, 102 → 2002), else the mbox envelope date; absurd dates (year 102, 2028) fall back
 * the same way, and null when nothing is believable.
 */
export function resolveSentAt(
  parsedIso: string | undefined,
  rawHeader: string | undefined,
  fallback: Date | null | undefined,
): Date | null {
  let d = parsedIso ? new Date(parsedIso) : null;
  if (d && !Number.isNaN(d.getTime()) && rawHeader) {
    const year = d.getUTCFullYear();
    if (year < 1000 && /\b\d{2,3}\s+\d{1,2}:\d{2}/.test(rawHeader)) {
      const fixed = new Date(d);
      fixed.setUTCFullYear(year < 50 ? year + 2000 : year + 1900);
      d = fixed;
    }
  }
  if (isPlausibleDate(d)) return d;
  return isPlausibleDate(fallback) ? fallback : null;
}
