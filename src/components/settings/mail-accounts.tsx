'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Mail, RefreshCw } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { authClient } from '@/lib/auth-client';
import { useTRPC } from '@/lib/trpc';
import { useLiveEvents } from '@/lib/use-live-events';

const STATUS: Record<string, { label: string; tone: string }> = {
  idle: { label: 'Up to date', tone: 'bg-emerald-500' },
  syncing: { label: 'Syncing', tone: 'bg-sky-500' },
  error: { label: 'Will retry', tone: 'bg-amber-500' },
  needs_reconnect: { label: 'Needs reconnection', tone: 'bg-red-500' },
  needs_permission: { label: 'Needs Gmail permission', tone: 'bg-red-500' },
};

function connectGmail() {
  void authClient.linkSocial({ provider: 'google', callbackURL: '/settings' }).then((r) => {
    if (r?.error) toast.error(r.error.message ?? 'Could not start the Google sign-in');
  });
}

/** Connected mail sources with live sync state: connect, sync now, reconnect, remove. */
export function MailAccounts({ googleEnabled }: { googleEnabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: accounts } = useQuery(trpc.mailAccounts.list.queryOptions());
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.mailAccounts.list.queryKey() });
  useLiveEvents(refresh, ['mail.account_status', 'emails.synced', 'mail.full_resync']);
  const sync = useMutation(
    trpc.mailAccounts.syncNow.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.alreadyQueued ? 'A sync is already on its way' : 'Sync started');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const remove = useMutation(
    trpc.mailAccounts.remove.mutationOptions({
      onSuccess: (r) => {
        toast.success(
          r.revoked
            ? 'Gmail removed, and Rapport’s access revoked at Google'
            : 'Gmail removed; Google did not confirm the revocation: remove Rapport’s access in your Google account too',
        );
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const gmail = accounts?.filter((a) => a.provider === 'gmail') ?? [];
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="mail-accounts">
      {gmail.length === 0 ? (
        <p className="text-muted-foreground">
          {googleEnabled
            ? 'No Gmail account connected yet. Rapport reads your mail (read-only) to build your contacts.'
            : 'Google is not configured on this server. Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see the README) to connect Gmail, or import a Google Takeout .mbox below.'}
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-border rounded-md border border-border">
          {gmail.map((a) => {
            const s = STATUS[a.status] ?? { label: a.status, tone: 'bg-slate-400' };
            const broken = a.status === 'needs_reconnect' || a.status === 'needs_permission';
            return (
              <li key={a.id} className="flex flex-wrap items-center gap-3 p-3">
                <Mail className="size-4 text-muted-foreground" aria-hidden />
                <div className="flex min-w-48 flex-1 flex-col">
                  <span className="font-medium">{a.address}</span>
                  <span className="text-xs text-muted-foreground">
                    {a.messages.toLocaleString()} messages
                    {a.lastSyncedAt
                      ? ` · last sync ${new Date(a.lastSyncedAt).toLocaleString()}`
                      : ' · never synced'}
                    {a.progress
                      ? ` · ${a.progress.fetched.toLocaleString()} of ~${a.progress.total.toLocaleString()} read`
                      : ''}
                  </span>
                  {a.lastError ? (
                    <span className="text-xs text-destructive">{a.lastError}</span>
                  ) : null}
                </div>
                <span className="flex items-center gap-1.5 text-xs">
                  <span className={`size-2 rounded-full ${s.tone}`} aria-hidden />
                  {s.label}
                </span>
                {broken ? (
                  googleEnabled ? (
                    <Button size="sm" onClick={connectGmail}>
                      Reconnect
                    </Button>
                  ) : null
                ) : (
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={sync.isPending || a.status === 'syncing'}
                    onClick={() => sync.mutate({ accountId: a.id })}
                  >
                    <RefreshCw className={a.status === 'syncing' ? 'animate-spin' : undefined} />{' '}
                    Sync now
                  </Button>
                )}
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (
                      window.confirm(
                        `Remove ${a.address}? Its mail leaves Rapport and Rapport's access is revoked at Google.`,
                      )
                    )
                      remove.mutate({ accountId: a.id });
                  }}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {googleEnabled ? (
        <Button
          variant={gmail.length ? 'outline' : 'default'}
          className="self-start"
          onClick={connectGmail}
        >
          <Mail /> {gmail.length ? 'Connect another Gmail account' : 'Connect Gmail'}
        </Button>
      ) : null}
    </div>
  );
}
