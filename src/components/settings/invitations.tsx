'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy, X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useTRPC } from '@/lib/trpc';

/** Sign-up invitations (RAPPORT_SIGNUP=invite): a single-use link, shown once; those waiting. */
export function Invitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: pending } = useQuery(trpc.invites.list.queryOptions());
  const [email, setEmail] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.invites.list.queryKey() });
  const create = useMutation(
    trpc.invites.create.mutationOptions({
      onSuccess: (r) => {
        setLink(r.url);
        setEmail('');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const revoke = useMutation(
    trpc.invites.revoke.mutationOptions({
      onSuccess: refresh,
      onError: (e) => toast.error(e.message),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(email.trim() ? { email: email.trim() } : {});
  };
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="invitations">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <Label htmlFor="invite-email">Their address (optional: else whoever has the link)</Label>
          <Input
            id="invite-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="ada@example.com"
          />
        </div>
        <Button type="submit" disabled={create.isPending}>
          Make an invitation link
        </Button>
      </form>
      {link ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-border p-2">
          <code className="min-w-0 flex-1 break-all text-xs" data-testid="invite-link">
            {link}
          </code>
          <Button
            size="sm"
            variant="outline"
            onClick={() =>
              void navigator.clipboard
                ?.writeText(link)
                .then(() => toast.success('Link copied'))
                .catch(() => toast.error('Could not copy'))
            }
          >
            <Copy /> Copy
          </Button>
          <p className="w-full text-xs text-muted-foreground">
            Shown this once; it works once, for 7 days.
          </p>
        </div>
      ) : null}
      {pending?.length ? (
        <ul className="flex flex-col divide-y divide-border rounded-md border border-border">
          {pending.map((i) => (
            <li key={i.id} className="flex items-center gap-2 p-2">
              <span className="flex-1">
                {i.email ?? 'Anyone with the link'}
                <span className="text-muted-foreground">
                  {' '}
                  · until {new Date(i.expiresAt).toLocaleDateString()}
                </span>
              </span>
              <Button
                size="sm"
                variant="ghost"
                aria-label="Withdraw the invitation"
                onClick={() => revoke.mutate({ id: i.id })}
              >
                <X />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
