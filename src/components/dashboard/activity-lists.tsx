'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight, Inbox, MailQuestion } from 'lucide-react';
import Link from 'next/link';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListSkeleton } from '@/components/ui/skeleton';
import { useTRPC } from '@/lib/trpc';
import { useLiveEvents } from '@/lib/use-live-events';
import { LocalDate } from '@/components/ui/local-format';

/** Replies you owe, and the latest mail with people: both refresh as mail arrives. */
export function ActivityLists() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: owed, isLoading: owedLoading } = useQuery(
    trpc.dashboard.repliesOwed.queryOptions(),
  );
  const { data: recent, isLoading: recentLoading } = useQuery(trpc.dashboard.recent.queryOptions());
  useLiveEvents(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.dashboard.repliesOwed.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dashboard.recent.queryKey() });
  }, ['emails.synced', 'email.received', 'email.sent']);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader className="flex-row items-center gap-2">
          <MailQuestion className="size-4 text-amber-600" aria-hidden />
          <CardTitle>Replies you owe</CardTitle>
        </CardHeader>
        <CardContent>
          {owedLoading ? (
            <ListSkeleton />
          ) : !owed?.length ? (
            <p className="text-sm text-muted-foreground">Nothing waiting on you.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-border" data-testid="list-replies-owed">
              {owed.map((r) => (
                <li
                  key={r.emailId}
                  className="flex items-center justify-between gap-3 py-2 text-sm"
                >
                  <Link
                    data-nav-item
                    href={`/contacts/${r.contactId}`}
                    className="min-w-0 flex-1 hover:underline"
                  >
                    <span className="font-medium">{r.name ?? r.email}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {r.subject ?? '(no subject)'}
                    </span>
                  </Link>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {r.at ? <LocalDate value={r.at} /> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader className="flex-row items-center gap-2">
          <Inbox className="size-4 text-primary" aria-hidden />
          <CardTitle>Recent activity</CardTitle>
        </CardHeader>
        <CardContent>
          {recentLoading ? (
            <ListSkeleton />
          ) : !recent?.length ? (
            <p className="text-sm text-muted-foreground">
              Nothing yet: connect Gmail or import a mailbox in Settings.
            </p>
          ) : (
            <ul className="flex flex-col divide-y divide-border" data-testid="list-recent">
              {recent.map((e) => (
                <li key={e.id} className="flex items-center gap-2 py-2 text-sm">
                  {e.direction === 'outbound' ? (
                    <ArrowUpRight className="size-4 shrink-0 text-primary" aria-label="sent" />
                  ) : (
                    <ArrowDownLeft
                      className="size-4 shrink-0 text-emerald-600"
                      aria-label="received"
                    />
                  )}
                  <Link
                    data-nav-item
                    href={`/contacts/${e.contactId}`}
                    className="min-w-0 flex-1 hover:underline"
                  >
                    <span className="font-medium">{e.name ?? e.email}</span>
                    <span className="block truncate text-xs text-muted-foreground">
                      {e.subject ?? '(no subject)'}
                    </span>
                  </Link>
                  <span className="shrink-0 text-xs text-muted-foreground">
                    {e.sentAt ? <LocalDate value={e.sentAt} /> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
