'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Undo2 } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { LocalDate } from '@/components/ui/local-format';
import { useTRPC } from '@/lib/trpc';

/** Every address the contact writes from, and the merges that gathered them, each undoable. */
export function ContactAddresses({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: addresses } = useQuery(trpc.contacts.addresses.queryOptions({ id }));
  const { data: merges } = useQuery(trpc.contacts.merges.queryOptions({ contactId: id }));
  const undo = useMutation(
    trpc.contacts.undoMerge.mutationOptions({
      onSuccess: () => {
        toast.success('Merge undone');
        void queryClient.invalidateQueries();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  if (!addresses || (addresses.length < 2 && !merges?.length)) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Addresses</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <ul className="flex flex-col gap-0.5" data-testid="addresses">
          {addresses.map((a, i) => (
            <li key={a}>
              {a}
              {i === 0 ? <span className="ml-2 text-xs text-muted-foreground">primary</span> : null}
            </li>
          ))}
        </ul>
        {merges?.length ? (
          <ul className="flex flex-col gap-1 text-xs text-muted-foreground">
            {merges.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center gap-2">
                <span>
                  Merged {m.mergedNames.join(', ')} ({m.mergedEmails.join(', ')}) on{' '}
                  <LocalDate value={m.createdAt} />
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  className="h-6 px-2"
                  disabled={undo.isPending}
                  onClick={() => undo.mutate({ mergeId: m.id })}
                >
                  <Undo2 className="size-3" aria-hidden /> Undo
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}
