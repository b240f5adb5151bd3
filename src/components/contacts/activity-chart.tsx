'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';

/** Mail each way per month, the last two years with mail: sent above, received below the line. */
export function ActivityChart({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.contacts.activity.queryOptions({ id }));
  if (!data || data.length === 0) return null;
  const months = data.slice(-24);
  const max = Math.max(1, ...months.map((m) => Math.max(m.sent, m.received)));
  const w = 14;
  const gap = 4;
  const h = 48;
  const width = months.length * (w + gap);
  return (
    <figure className="flex flex-col gap-1" data-testid="activity-chart">
      <svg
        viewBox={`0 0 ${width} ${2 * h + 2}`}
        className="h-28 w-full max-w-xl"
        style={{ maxWidth: Math.max(120, months.length * 28) }}
        role="img"
        aria-label={`Emails per month: ${months.map((m) => `${m.month} ${m.sent} sent, ${m.received} received`).join('; ')}`}
        preserveAspectRatio="none"
      >
        {months.map((m, i) => (
          <g key={m.month} transform={`translate(${i * (w + gap)},0)`}>
            <title>{`${m.month}: ${m.sent} sent, ${m.received} received`}</title>
            <rect
              x={0}
              y={h - (m.sent / max) * h}
              width={w}
              height={(m.sent / max) * h}
              className="fill-primary"
            />
            <rect
              x={0}
              y={h + 2}
              width={w}
              height={(m.received / max) * h}
              className="fill-emerald-500"
            />
          </g>
        ))}
        <line x1={0} x2={width} y1={h + 1} y2={h + 1} className="stroke-border" />
      </svg>
      <figcaption className="flex gap-4 text-xs text-muted-foreground">
        <span>
          {months[0]!.month} – {months.at(-1)!.month}
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-primary" /> you sent
        </span>
        <span className="flex items-center gap-1">
          <span className="size-2 rounded-sm bg-emerald-500" /> they sent
        </span>
      </figcaption>
    </figure>
  );
}
