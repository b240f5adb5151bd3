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
    { label: 'People', value: data?.people, icon: Users, href: '/contacts' },
    { label: 'Emails', value: data?.emails, icon: Mail, href: '/contacts' },
    { label: 'Mail sources', value: data?.mailAccounts, icon: Inbox, href: '/settings' },
  ];
  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-4 sm:grid-cols-3">
        {stats.map(({ label, value, icon: Icon, href }) => (
          <Link key={label} href={href}>
            <Card className="transition-colors hover:bg-muted/50">
              <CardHeader className="flex-row items-center justify-between pb-2">
                <CardTitle className="text-sm font-medium text-muted-foreground">{label}</CardTitle>
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
              </CardContent>
            </Card>
          </Link>
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
