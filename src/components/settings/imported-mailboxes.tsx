'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Archive, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { useTRPC } from '@/lib/trpc';
import type { AppRouter } from '@/server/api/root';
import { useLiveEvents } from '@/lib/use-live-events';

/** A mail source as mailAccounts.list gives it. */
type Mailbox = inferRouterOutputs<AppRouter>['mailAccounts']['list'][number];

/** The messages one imported mailbox could not take, with why. */
function Rejected({ accountId, count }: { accountId: string; count: number }) {
  const trpc = useTRPC();
  const { data, isLoading } = useQuery(
    trpc.mailAccounts.importErrors.queryOptions({ accountId, limit: 100 }),
  );
  if (isLoading) return <p className="text-xs text-muted-foreground">Loading…</p>;
  return (
    <div className="flex flex-col gap-1">
      <ul className="flex max-h-64 flex-col gap-1 overflow-y-auto text-xs" data-testid="rejected">
        {data?.map((e) => (
          <li key={`${e.ref}\u0000${e.reason}`} className="rounded bg-muted/60 px-2 py-1">
            <span className="font-mono">{e.ref}</span>
            <span className="text-muted-foreground"> — {e.reason}</span>
            {e.excerpt ? (
              <span className="block truncate font-mono text-muted-foreground/80">
                {e.excerpt.replace(/\p{Cc}/gu, '·')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {count > (data?.length ?? 0) ? (
        <p className="text-xs text-muted-foreground">
          The {data?.length} most recent of {count.toLocaleString()}.
        </p>
      ) : null}
    </div>
  );
}

function MailboxRow({ mailbox, onRemoved }: { mailbox: Mailbox; onRemoved: () => void }) {
  const trpc = useTRPC();
  const [showRejected, setShowRejected] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.mailAccounts.remove.mutationOptions({
      onSuccess: () => {
        toast.success(`Removed the mail imported for ${mailbox.address}`);
        onRemoved();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <li className="flex flex-col gap-2 p-3" data-testid="imported-mailbox">
      <div className="flex flex-wrap items-center gap-3">
        <Archive className="size-4 text-muted-foreground" aria-hidden />
        <div className="flex min-w-48 flex-1 flex-col">
          <span className="font-medium">{mailbox.address}</span>
          <span className="text-xs text-muted-foreground">
            {mailbox.messages.toLocaleString()} messages
            {mailbox.aliases.length ? ` · also ${mailbox.aliases.join(', ')}` : ''} · last import{' '}
            {new Date(mailbox.updatedAt).toLocaleString()}
          </span>
          {mailbox.rejected ? (
            <button
              type="button"
              className="self-start text-xs text-amber-700 underline-offset-2 hover:underline dark:text-amber-400"
              aria-expanded={showRejected}
              onClick={() => setShowRejected((v) => !v)}
            >
              {mailbox.rejected.toLocaleString()} {mailbox.rejected === 1 ? 'message' : 'messages'}{' '}
              could not be read — {showRejected ? 'hide' : 'show why'}
            </button>
          ) : null}
        </div>
        {confirming ? (
          <span className="flex items-center gap-2 text-xs">
            Remove its {mailbox.messages.toLocaleString()} messages?
            <Button
              size="sm"
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ accountId: mailbox.id })}
            >
              Remove
            </Button>
            <Button size="sm" variant="outline" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button size="sm" variant="outline" onClick={() => setConfirming(true)}>
            <Trash2 aria-hidden /> Remove
          </Button>
        )}
      </div>
      {showRejected ? <Rejected accountId={mailbox.id} count={mailbox.rejected} /> : null}
    </li>
  );
}

/** Mailboxes imported from files: what each holds, what it could not read, and removal. */
export function ImportedMailboxes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: accounts } = useQuery(trpc.mailAccounts.list.queryOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.mailAccounts.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.mailAccounts.importErrors.queryKey() });
  };
  useLiveEvents(refresh, ['emails.synced']);
  const mailboxes = accounts?.filter((a) => a.provider === 'mbox') ?? [];
  if (mailboxes.length === 0) return null;
  return (
    <ul
      className="flex flex-col divide-y divide-border rounded-md border border-border text-sm"
      data-testid="imported-mailboxes"
    >
      {mailboxes.map((m) => (
        <MailboxRow key={m.id} mailbox={m} onRemoved={refresh} />
      ))}
    </ul>
  );
}
