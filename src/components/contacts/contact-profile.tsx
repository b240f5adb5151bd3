'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ContactAssistant } from '@/components/assistant/contact-assistant';
import { ActivityChart } from './activity-chart';
import { ContactAddresses } from './contact-addresses';
import { ContactEditor } from './contact-editor';
import { ContactEnrichment } from './contact-enrichment';
import { ContactTimeline } from './contact-timeline';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListSkeleton, Skeleton } from '@/components/ui/skeleton';
import { everyText, formatHours } from '@/lib/format-duration';
import { usePageReady } from '@/lib/use-page-ready';
import { useTRPC } from '@/lib/trpc';
import { LocalDate } from '@/components/ui/local-format';

export function ContactProfile({ id }: { id: string }) {
  const trpc = useTRPC();
  const { data: c, error, isLoading } = useQuery(trpc.contacts.byId.queryOptions({ id }));
  const { data: stats } = useQuery(trpc.contacts.stats.queryOptions({ id }));
  usePageReady('contact', c !== undefined);
  if (isLoading) return <ProfileSkeleton />;
  if (error || !c) {
    return (
      <p className="text-sm">
        This contact does not exist or is not yours.{' '}
        <Link href="/contacts" className="text-primary hover:underline">
          Back to contacts
        </Link>
      </p>
    );
  }
  // One column in reading order; from xl up two, the assistant and the timeline beside the
  // profile. Each column is `display: contents` until then, so the order classes interleave
  // their cards in the one column.
  return (
    <div className="flex max-w-3xl flex-col gap-6 xl:max-w-none">
      <h1 className="text-2xl font-semibold tracking-tight">{c.name ?? c.email}</h1>
      <div className="flex flex-col gap-6 xl:grid xl:grid-cols-2 xl:items-start">
        <div className="contents xl:flex xl:flex-col xl:gap-6">
          <div className="order-1 xl:order-none">
            <ContactEditor c={c} />
          </div>
          {stats ? (
            <Card className="order-2 xl:order-none">
              <CardHeader>
                <CardTitle>Relationship</CardTitle>
              </CardHeader>
              <CardContent className="flex flex-col gap-3 text-sm">
                <p data-testid="strength-explanation">
                  <span className="text-2xl font-semibold tabular-nums">
                    {Math.round(stats.strengthScore)}
                  </span>{' '}
                  <span className="text-muted-foreground">
                    / 100 ·{' '}
                    {stats.explanation.factors.length
                      ? stats.explanation.level
                      : stats.explanation.text}
                  </span>
                  {stats.explanation.notes.length ? (
                    <span className="block text-xs text-muted-foreground">
                      {stats.explanation.notes
                        .map((n) => n[0]!.toUpperCase() + n.slice(1))
                        .join(' · ')}
                    </span>
                  ) : null}
                </p>
                {stats.explanation.factors.length ? (
                  <ul className="flex flex-col gap-0.5 text-xs" data-testid="strength-factors">
                    {stats.explanation.factors.map((f) => (
                      <li key={f.name} className="flex gap-2">
                        <span className="w-20 shrink-0 text-muted-foreground">{f.name}</span>
                        <span className="w-10 shrink-0 tabular-nums">
                          {f.name === 'Direction' ? `×${f.value}` : f.value.toFixed(2)}
                        </span>
                        <span className="text-muted-foreground">{f.detail}</span>
                      </li>
                    ))}
                    <li className="text-muted-foreground">
                      strength = 100 × depth × freshness × direction
                    </li>
                  </ul>
                ) : null}
                {!stats.corresponded ? (
                  <p className="rounded-md bg-muted px-2 py-1 text-xs" data-testid="seen-only">
                    Seen only beside you on others’ mail: you have not written to each other, so
                    they are not among your people.
                  </p>
                ) : null}
                <dl className="grid grid-cols-[12rem_1fr] gap-y-1">
                  <dt className="text-muted-foreground">Usually in touch</dt>
                  <dd data-testid="rhythm">
                    {stats.usualGapDays != null
                      ? `${everyText(stats.usualGapDays)} (${stats.conversations} conversations)`
                      : stats.conversations === 1
                        ? 'one conversation so far'
                        : '—'}
                    {stats.goingCold ? (
                      <span className="ml-2 text-xs text-sky-600">going cold</span>
                    ) : null}
                  </dd>
                  <dt className="text-muted-foreground">Emails sent / received</dt>
                  <dd className="tabular-nums">
                    {stats.emailsSent} / {stats.emailsReceived}
                  </dd>
                  <dt className="text-muted-foreground">Your median reply</dt>
                  <dd>
                    {stats.myReplyMedianHours != null ? formatHours(stats.myReplyMedianHours) : '—'}
                  </dd>
                  <dt className="text-muted-foreground">Their median reply</dt>
                  <dd>
                    {stats.theirReplyMedianHours != null
                      ? formatHours(stats.theirReplyMedianHours)
                      : '—'}
                  </dd>
                  <dt className="text-muted-foreground">First / last email</dt>
                  <dd>
                    {stats.firstInteractionAt ? (
                      <LocalDate value={stats.firstInteractionAt} />
                    ) : (
                      '—'
                    )}{' '}
                    /{' '}
                    {stats.lastInteractionAt ? <LocalDate value={stats.lastInteractionAt} /> : '—'}
                  </dd>
                </dl>
                <ActivityChart id={c.id} />
              </CardContent>
            </Card>
          ) : null}
          <div className="order-3 xl:order-none">
            <ContactAddresses id={c.id} />
          </div>
          <div className="order-3 xl:order-none">
            <ContactEnrichment id={c.id} />
          </div>
          {c.notes ? (
            <Card className="order-5 xl:order-none">
              <CardHeader>
                <CardTitle>Notes</CardTitle>
              </CardHeader>
              <CardContent className="whitespace-pre-wrap text-sm">{c.notes}</CardContent>
            </Card>
          ) : null}
        </div>
        <div className="contents xl:flex xl:flex-col xl:gap-6">
          <div className="order-6 xl:order-none">
            <ContactAssistant contactId={c.id} name={c.name ?? c.email} />
          </div>
          <div className="order-4 xl:order-none">
            <ContactTimeline id={c.id} />
          </div>
        </div>
      </div>
    </div>
  );
}

/** The contact page's shape while it loads: name, profile fields, then the relationship card. */
function ProfileSkeleton() {
  return (
    <div className="flex max-w-3xl flex-col gap-6" role="status" aria-busy="true">
      <span className="sr-only">Loading contact…</span>
      <Skeleton className="h-8 w-64" />
      <Card>
        <CardContent className="grid gap-3 pt-5 sm:grid-cols-2">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="flex flex-col gap-1.5">
              <Skeleton className="h-3 w-16" />
              <Skeleton className="h-9 w-full" />
            </div>
          ))}
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-5">
          <ListSkeleton rows={4} label="Loading relationship" />
        </CardContent>
      </Card>
    </div>
  );
}
