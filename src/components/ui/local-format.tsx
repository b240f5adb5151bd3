'use client';

import { useSyncExternalStore } from 'react';
import { formatAgo } from '@/lib/format-duration';

const never = () => () => {};

/**
 * False while the server renders and while the browser hydrates that HTML, true after: values
 * that depend on the reader's locale, time zone or clock are drawn in a fixed form first (the
 * server cannot know them) and in the reader's form right after, without a hydration mismatch.
 */
export function useMounted() {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

/** A date in the reader's locale and time zone (ISO date until the page has hydrated). */
export function LocalDate({
  value,
  withTime = false,
}: {
  value: Date | string;
  withTime?: boolean;
}) {
  const mounted = useMounted();
  const d = new Date(value);
  const iso = d.toISOString();
  const text = mounted
    ? withTime
      ? d.toLocaleString()
      : d.toLocaleDateString()
    : withTime
      ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
      : iso.slice(0, 10);
  return <time dateTime={iso}>{text}</time>;
}

/** A count with the reader's digit grouping. */
export function LocalNumber({ value }: { value: number }) {
  const mounted = useMounted();
  return <>{mounted ? value.toLocaleString() : value.toLocaleString('en-US')}</>;
}

/** The reader's clock to the minute; null while the server renders and the page hydrates. */
function useMinute() {
  return useSyncExternalStore(
    never,
    () => Math.floor(Date.now() / 60_000),
    () => null,
  );
}

/**
 * "today", "yesterday", "12 days ago", "4 months ago", counted on the reader's clock once
 * hydrated; a year or more back, the date ("on 10/4/2002": an archive's people).
 */
export function DaysAgo({ value }: { value: Date | string }) {
  const minute = useMinute();
  if (minute === null) return <LocalDate value={value} />;
  const days = Math.floor((minute * 60_000 - new Date(value).getTime()) / 86_400_000);
  if (days >= 365)
    return (
      <>
        on <LocalDate value={value} />
      </>
    );
  return <>{formatAgo(Math.max(0, days))}</>;
}
