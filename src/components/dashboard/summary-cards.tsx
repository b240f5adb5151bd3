'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Inbox, Mail, Users } from 'lucide-react';
import Link from 'next/link';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState } from '@/components/ui/empty-state';
import { useTRPC } from '@/lib/trpc';
import { useLiveEvents } from '@/lib/use-live-events';
import { LocalNumber } from '@/components/ui/local-format';

export function SummaryCards() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Always fresh when the dashboard opens: an import elsewhere may have changed every count.
  const { data, isLoading, error } = useQuery({
    ...trpc.dashboard.summary.queryOptions(),
    staleTime: 0,
  });
  // Counts move while mail syncs: refresh them as the events arrive.
  useLiveEvents(
    () => void queryClient.invalidateQueries(trpc.dashboard.summary.pathFilter()),
    ['emails.synced', 'contact.created', 'email.received', 'email.sent'],
  );
  if (error) return <p className="text-sm text-destructive">Could not load: {error.message}</p>;
  const stats = [
    {
      label: 'People',
      value: data?.people,
      icon: Users,
      href: '/contacts',
      // The others in the mail, a filter away.
      note: data?.seen
        ? { text: `and ${data.seen} seen on others’ mail`, href: '/contacts?show=seen' }
        : null,
    },
    { label: 'Emails', value: data?.emails, icon: Mail, href: '/contacts', note: null },
    {
      label: 'Mail sources',
      value: data?.mailAccounts,
      icon: Inbox,
      href: '/settings',
      note: null,
    },
  ];
  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-4 sm:grid-cols-3">
        {stats.map(({ label, value, icon: Icon, href, note }) => (
          <Card key={label} className="relative transition-colors hover:bg-muted/50">
            <CardHeader className="flex-row items-center justify-between pb-2">
              <CardTitle className="text-sm font-medium text-muted-foreground">
                {/* The whole card is the link; the note's own link sits above it. */}
                <Link href={href} className="after:absolute after:inset-0">
                  {label}
                </Link>
              </CardTitle>
              <Icon className="size-4 text-muted-foreground" aria-hidden />
            </CardHeader>
            <CardContent>
              <div className="text-3xl font-semibold" data-testid={`stat-${label}`}>
                {isLoading ? (
                  <Skeleton className="my-1 h-7 w-20" />
                ) : (
                  <LocalNumber value={value ?? 0} />
                )}
              </div>
              {note ? (
                <Link
                  href={note.href}
                  className="relative text-xs text-muted-foreground hover:underline"
                  data-testid={`stat-${label}-note`}
                >
                  {note.text}
                </Link>
              ) : null}
            </CardContent>
          </Card>
        ))}
      </div>
      {data && data.emails === 0 ? (
        <EmptyState icon={Inbox} title="No mail yet">
          Connect Gmail or import an mbox file from Settings, and Rapport builds your contacts,
          their signatures and how strong each relationship is.
        </EmptyState>
      ) : null}
    </div>
  );
}
