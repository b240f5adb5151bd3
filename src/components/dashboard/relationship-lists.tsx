'use client';

import { useQuery } from '@tanstack/react-query';
import { Flame, Snowflake } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListSkeleton } from '@/components/ui/skeleton';
import { usePageReady } from '@/lib/use-page-ready';
import { useTRPC } from '@/lib/trpc';
import { DaysAgo } from '@/components/ui/local-format';

function List({
  title,
  icon,
  metric,
  empty,
  detail,
}: {
  title: string;
  icon: ReactNode;
  metric: 'strength' | 'going-cold';
  empty: string;
  detail: (c: {
    strengthScore: number;
    lastInteractionAt: Date | null;
    totalEmails: number;
  }) => ReactNode;
}) {
  const trpc = useTRPC();
  const { data, isLoading } = useQuery(trpc.contacts.top.queryOptions({ metric, limit: 8 }));
  usePageReady('dashboard', metric === 'strength' && data !== undefined);
  return (
    <Card>
      <CardHeader className="flex-row items-center gap-2">
        {icon}
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent>
        {isLoading ? (
          <ListSkeleton rows={8} label={`Loading ${title.toLowerCase()}`} />
        ) : !data?.length ? (
          <p className="text-sm text-muted-foreground">{empty}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-border" data-testid={`list-${metric}`}>
            {data.map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                <Link
                  data-nav-item
                  href={`/contacts/${c.id}`}
                  className="min-w-0 truncate font-medium hover:underline"
                >
                  {c.name ?? c.email}
                  {c.company ? (
                    <span className="font-normal text-muted-foreground"> · {c.company}</span>
                  ) : null}
                </Link>
                <span className="shrink-0 text-xs text-muted-foreground">{detail(c)}</span>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

export function RelationshipLists() {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <List
        title="Strongest relationships"
        icon={<Flame className="size-4 text-orange-500" aria-hidden />}
        metric="strength"
        empty="Import mail to see who you are closest to."
        detail={(c) =>
          `strength ${Math.round(c.strengthScore)} · ${c.totalEmails} email${c.totalEmails === 1 ? '' : 's'}`
        }
      />
      <List
        title="Going cold — reconnect"
        icon={<Snowflake className="size-4 text-sky-500" aria-hidden />}
        metric="going-cold"
        empty="Nobody is going cold. Nice."
        detail={(c) =>
          c.lastInteractionAt ? (
            <>
              last <DaysAgo value={c.lastInteractionAt} />
            </>
          ) : null
        }
      />
    </div>
  );
}
