'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight, Paperclip } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { ListSkeleton } from '@/components/ui/skeleton';
import { useTRPC } from '@/lib/trpc';

function EmailBody({ emailId }: { emailId: string }) {
  const trpc = useTRPC();
  const { data, isLoading } = useQuery(trpc.contacts.email.queryOptions({ emailId }));
  const [formatted, setFormatted] = useState(false);
  if (isLoading || !data) return <ListSkeleton rows={2} label="Loading message" />;
  return (
    <div className="flex flex-col gap-2 border-t border-border pt-2">
      <p className="text-xs text-muted-foreground">
        To {data.to.map((a) => a.name ?? a.email).join(', ') || '—'}
        {data.cc.length ? ` · Cc ${data.cc.map((a) => a.name ?? a.email).join(', ')}` : ''}
        {data.labels.length ? ` · ${data.labels.join(', ')}` : ''}
      </p>
      {formatted && data.html ? (
        // Sandboxed: no scripts, no same origin, no forms; its CSP lets nothing load.
        <iframe
          title={`Email: ${data.subject ?? ''}`}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          srcDoc={data.html}
          className="h-96 w-full rounded border border-border bg-white"
          referrerPolicy="no-referrer"
        />
      ) : (
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words font-sans text-sm">
          {data.bodyText ?? '(no text)'}
        </pre>
      )}
      {data.htmlAsText || data.htmlPending ? (
        <p className="text-xs text-muted-foreground" data-testid="shown-as-text">
          {data.htmlAsText
            ? 'Shown as text: its formatting is too large to show safely.'
            : 'Shown as text while its formatting is made safe to show.'}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        {data.html ? (
          <Button size="sm" variant="ghost" onClick={() => setFormatted((f) => !f)}>
            {formatted ? 'Show plain text' : 'Show formatted'}
          </Button>
        ) : null}
        {data.attachments.map((a, i) => (
          <span key={i} className="inline-flex items-center gap-1 text-xs text-muted-foreground">
            <Paperclip className="size-3" /> {a.filename ?? a.mimeType} ({Math.ceil(a.size / 1024)}{' '}
            kB)
          </span>
        ))}
      </div>
    </div>
  );
}

/** Every message with the contact, newest first; open one to read it (plain text by default). */
export function ContactTimeline({ id }: { id: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState<string | null>(null);
  const q = useInfiniteQuery(
    trpc.contacts.timeline.infiniteQueryOptions(
      { id, limit: 25 },
      {
        initialCursor: undefined,
        getNextPageParam: (last) =>
          last.more ? (last.items.at(-1)?.sentAt ?? undefined) : undefined,
      },
    ),
  );
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Timeline</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-2 text-sm">
        {q.isLoading ? <ListSkeleton label="Loading timeline" /> : null}
        {!q.isLoading && items.length === 0 ? (
          <p className="text-muted-foreground">No mail with them yet.</p>
        ) : null}
        <ol className="flex flex-col divide-y divide-border" data-testid="timeline">
          {items.map((e) => (
            <li key={e.id} className="py-2">
              <button
                type="button"
                className="flex w-full items-start gap-2 text-left"
                aria-expanded={open === e.id}
                onClick={() => setOpen(open === e.id ? null : e.id)}
              >
                {e.direction === 'outbound' ? (
                  <ArrowUpRight className="mt-0.5 size-4 shrink-0 text-primary" aria-label="sent" />
                ) : (
                  <ArrowDownLeft
                    className="mt-0.5 size-4 shrink-0 text-emerald-600"
                    aria-label="received"
                  />
                )}
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="truncate font-medium">{e.subject ?? '(no subject)'}</span>
                  <span className="truncate text-xs text-muted-foreground">
                    {e.direction === 'outbound' ? 'You' : (e.fromName ?? e.fromEmail)} · {e.snippet}
                  </span>
                </span>
                <span className="shrink-0 text-xs tabular-nums text-muted-foreground">
                  {e.sentAt ? new Date(e.sentAt).toLocaleDateString() : '—'}
                </span>
              </button>
              {open === e.id ? <EmailBody emailId={e.id} /> : null}
            </li>
          ))}
        </ol>
        {q.hasNextPage ? (
          <Button
            variant="outline"
            size="sm"
            className="self-start"
            onClick={() => void q.fetchNextPage()}
            disabled={q.isFetchingNextPage}
          >
            {q.isFetchingNextPage ? 'Loading…' : 'Older messages'}
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
