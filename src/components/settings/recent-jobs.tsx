'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RotateCcw } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { ListSkeleton } from '@/components/ui/skeleton';
import { useTRPC } from '@/lib/trpc';
import { useLiveEvents } from '@/lib/use-live-events';

const LABELS: Record<string, string> = {
  'mail.import-mbox': 'Mailbox import',
  'stats.recompute': 'Relationship stats',
  'contact.reextract': 'Contact re-extraction',
  'mail.sync-gmail': 'Gmail sync',
  'contact.enrich': 'Contact enrichment',
  'contact.social-sync': 'X posts refresh',
  'mail.sync-due': 'Scheduled syncs',
  'mail.renew-gmail-watch': 'Gmail push renewal',
};

/** The user's recent background jobs, with their state and errors; failed ones can be retried. */
export function RecentJobs() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data, isLoading } = useQuery({
    ...trpc.jobs.list.queryOptions({ limit: 20 }),
    // While work is queued or running, look again every second (a job completes after its
    // last event, so events alone would leave it showing as running).
    refetchInterval: (q) =>
      q.state.data?.some(
        (j) => j.state === 'created' || j.state === 'retry' || j.state === 'active',
      )
        ? 1000
        : false,
  });
  const refresh = () => void queryClient.invalidateQueries(trpc.jobs.list.pathFilter());
  useLiveEvents(refresh, ['emails.synced', 'job.failed']);
  const retry = useMutation(
    trpc.jobs.retryFailed.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${r.retried} job${r.retried === 1 ? '' : 's'} queued again`);
        refresh();
      },
      onError: (err) => toast.error(err.message),
    }),
  );
  if (isLoading) return <ListSkeleton label="Loading jobs" />;
  if (!data?.length)
    return <p className="text-sm text-muted-foreground">No background jobs yet.</p>;
  const failed = data.filter((j) => j.state === 'failed');
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y divide-border text-sm" data-testid="recent-jobs">
        {data.map((j) => {
          const error = (j.output as { message?: string } | null)?.message;
          return (
            <li key={j.id} className="flex items-center justify-between gap-3 py-2">
              <div className="min-w-0">
                <div className="font-medium">{LABELS[j.name] ?? j.name}</div>
                <div className="truncate text-xs text-muted-foreground">
                  {new Date(j.createdOn).toLocaleString()}
                  {j.state === 'failed' && error ? ` — ${error}` : ''}
                </div>
              </div>
              <span
                className={`shrink-0 rounded px-2 py-0.5 text-xs ${j.state === 'failed' ? 'bg-destructive/10 text-destructive' : j.state === 'completed' ? 'bg-muted text-muted-foreground' : 'bg-primary/10 text-primary'}`}
              >
                {j.state}
              </span>
            </li>
          );
        })}
      </ul>
      {failed.length ? (
        <Button
          variant="outline"
          size="sm"
          className="self-start"
          disabled={retry.isPending}
          onClick={() => retry.mutate({})}
        >
          <RotateCcw aria-hidden /> Retry {failed.length} failed
        </Button>
      ) : null}
    </div>
  );
}
