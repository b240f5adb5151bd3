'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useTRPC } from '@/lib/trpc';

const LABEL: Record<string, string> = {
  signatures: 'Their signatures',
  gravatar: 'Gravatar',
  github: 'GitHub',
  x: 'X',
  peopledata: 'People data',
};

/** What the enrichment sources say about a contact, their recent X posts, and a refresh. */
export function ContactEnrichment({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.contacts.enrichments.queryOptions({ id }));
  const enrich = useMutation(
    trpc.contacts.enrich.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.updated.length ? `Updated ${r.updated.join(', ')}` : 'Nothing new found');
        void queryClient.invalidateQueries({
          queryKey: trpc.contacts.enrichments.queryKey({ id }),
        });
        void queryClient.invalidateQueries({ queryKey: trpc.contacts.byId.queryKey({ id }) });
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const found = data?.filter((e) => e.status === 'ok') ?? [];
  const posts = found.flatMap((e) => e.data.posts ?? []);
  const bio = found.map((e) => e.data.bio).find(Boolean);
  return (
    <Card data-testid="enrichment">
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>Enrichment</CardTitle>
        <Button
          size="sm"
          variant="outline"
          disabled={enrich.isPending}
          onClick={() => enrich.mutate({ id, force: true })}
        >
          <RefreshCw className={enrich.isPending ? 'animate-spin' : undefined} /> Refresh
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        {!data?.length ? (
          <p className="text-muted-foreground">
            Not enriched yet. Refresh to look them up in their signatures and the sources
            configured.
          </p>
        ) : (
          <ul className="flex flex-wrap gap-2" aria-label="Sources">
            {data.map((e) => (
              <li
                key={e.source}
                className="rounded-full border border-border px-2 py-0.5 text-xs"
                title={e.error ?? undefined}
              >
                {LABEL[e.source] ?? e.source}:{' '}
                <span
                  className={
                    e.status === 'ok'
                      ? 'text-emerald-700 dark:text-emerald-400'
                      : e.status === 'error'
                        ? 'text-destructive'
                        : 'text-muted-foreground'
                  }
                >
                  {e.status === 'ok' ? 'found' : e.status === 'not_found' ? 'nothing' : 'failed'}
                </span>
                {e.data.sourceUrl ? (
                  <a
                    href={e.data.sourceUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="ml-1 text-primary hover:underline"
                  >
                    profile
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {bio ? <p className="text-muted-foreground">{bio}</p> : null}
        {posts.length ? (
          <section aria-label="Recent posts on X" className="flex flex-col gap-2">
            <h4 className="font-medium">Recent posts on X</h4>
            <ul className="flex flex-col gap-2" data-testid="x-posts">
              {posts.map((p) => (
                <li key={p.id} className="rounded-md border border-border p-2">
                  <p className="whitespace-pre-wrap">{p.text}</p>
                  <a
                    href={p.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="text-xs text-muted-foreground hover:underline"
                  >
                    {p.createdAt ? new Date(p.createdAt).toLocaleDateString() : 'on X'}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </CardContent>
    </Card>
  );
}
