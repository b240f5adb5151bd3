'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Undo2, UsersRound } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { useTRPC } from '@/lib/trpc';

const FIRST = 5;

/** The queue's size, as a button in the list's filters: the list stays where it is. */
export function DuplicatesButton({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const trpc = useTRPC();
  const { data: queue } = useQuery(trpc.contacts.mergeSuggestions.queryOptions({ limit: 100 }));
  const { data: merges } = useQuery(trpc.contacts.merges.queryOptions({ limit: 5 }));
  if (!queue?.length && !merges?.length) return null;
  return (
    <Button
      size="sm"
      variant={open ? 'default' : 'outline'}
      onClick={onToggle}
      aria-expanded={open}
    >
      <UsersRound aria-hidden />
      {queue?.length
        ? `${queue.length} possible duplicate${queue.length === 1 ? '' : 's'}`
        : 'Recent merges'}
    </Button>
  );
}

/**
 * The duplicate review queue: contacts that are likely one person, each with the reasons and
 * every address, to merge (into the busiest) or to keep apart; and the latest merges, each
 * undoable.
 */
export function DuplicateReview({ onChange }: { onChange: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [all, setAll] = useState(false);
  const { data: queue } = useQuery(trpc.contacts.mergeSuggestions.queryOptions({ limit: 100 }));
  const { data: merges } = useQuery(trpc.contacts.merges.queryOptions({ limit: 5 }));
  const changed = (message: string) => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.merges.queryKey() });
    onChange();
  };
  const onError = (e: { message: string }) => toast.error(e.message);
  const merge = useMutation(
    trpc.contacts.merge.mutationOptions({ onSuccess: () => changed('Merged'), onError }),
  );
  const dismiss = useMutation(
    trpc.contacts.dismissDuplicate.mutationOptions({
      onSuccess: () => changed('Kept apart'),
      onError,
    }),
  );
  const undo = useMutation(
    trpc.contacts.undoMerge.mutationOptions({ onSuccess: () => changed('Merge undone'), onError }),
  );
  const busy = merge.isPending || dismiss.isPending || undo.isPending;
  const shown = all ? queue : queue?.slice(0, FIRST);
  if (!queue?.length && !merges?.length)
    return <p className="text-sm text-muted-foreground">No possible duplicates left.</p>;
  return (
    <section
      className="flex flex-col gap-3 rounded-xl border border-border p-3 text-sm"
      aria-label="Possible duplicates"
    >
      {shown?.length ? (
        <>
          <h2 className="flex items-center gap-2 font-medium">
            <UsersRound className="size-4" aria-hidden /> Possibly the same person
          </h2>
          <ul className="flex flex-col divide-y divide-border">
            {shown.map((d) => (
              <li
                key={d.id}
                className="flex flex-wrap items-start justify-between gap-3 py-2"
                data-testid="duplicate"
              >
                <div className="flex min-w-0 flex-col gap-1">
                  <ul className="flex flex-col gap-0.5">
                    {d.members.map((m, i) => (
                      <li key={m.id} className="flex flex-wrap items-baseline gap-x-2">
                        <Link href={`/contacts/${m.id}`} className="font-medium hover:underline">
                          {m.name ?? m.email}
                        </Link>
                        <span className="text-muted-foreground">
                          {m.addresses.length ? m.addresses.join(', ') : m.email}
                        </span>
                        <span className="text-xs text-muted-foreground">
                          {m.company ? `${m.company} · ` : ''}
                          {m.totalEmails} email{m.totalEmails === 1 ? '' : 's'}
                          {i === 0 ? ' · kept' : ''}
                          {m.corresponded ? '' : ' · seen only'}
                        </span>
                      </li>
                    ))}
                  </ul>
                  <p className="text-xs text-muted-foreground">{d.reasons.join(' · ')}</p>
                </div>
                <div className="flex shrink-0 gap-2">
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={busy}
                    onClick={() =>
                      merge.mutate({ keepId: d.contactIds[0]!, mergeIds: d.contactIds.slice(1) })
                    }
                  >
                    Merge
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={busy}
                    onClick={() => dismiss.mutate({ contactIds: d.contactIds })}
                  >
                    Not the same person
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          {!all && queue && queue.length > FIRST ? (
            <Button size="sm" variant="ghost" className="self-start" onClick={() => setAll(true)}>
              Show every suggestion
            </Button>
          ) : null}
        </>
      ) : null}
      {merges?.length ? (
        <div className="flex flex-col gap-1" aria-label="Recent merges">
          <h3 className="text-xs font-medium text-muted-foreground">Recently merged</h3>
          <ul className="flex flex-col gap-1">
            {merges.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center gap-2 text-xs">
                <span>
                  {m.mergedEmails.join(', ')} into{' '}
                  <Link href={`/contacts/${m.keptContactId}`} className="hover:underline">
                    {m.keptName ?? m.keptEmail}
                  </Link>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  className="h-6 px-2"
                  disabled={busy}
                  onClick={() => undo.mutate({ mergeId: m.id })}
                >
                  <Undo2 className="size-3" aria-hidden /> Undo
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
