'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useTRPC } from '@/lib/trpc';

/** The block list (never a person) and allow list (always a person), by address or @domain. */
export function SenderRules() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: rules } = useQuery(trpc.senderRules.list.queryOptions());
  const [pattern, setPattern] = useState('');
  const [action, setAction] = useState<'block' | 'allow'>('block');
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.senderRules.list.queryKey() });
  const set = useMutation(
    trpc.senderRules.set.mutationOptions({
      onSuccess: (r) => {
        toast.success(
          `Saved; ${r.contactsChanged} contact${r.contactsChanged === 1 ? '' : 's'} updated`,
        );
        setPattern('');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const remove = useMutation(
    trpc.senderRules.remove.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${r.removed} removed; contacts are being classified again`);
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ pattern, action });
  };
  return (
    <div className="flex flex-col gap-3 text-sm">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <Label htmlFor="rule-pattern">Address or @domain</Label>
          <Input
            id="rule-pattern"
            value={pattern}
            onChange={(e) => setPattern(e.target.value)}
            placeholder="news@shop.com or @shop.com"
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="rule-action">Rule</Label>
          <select
            id="rule-action"
            value={action}
            onChange={(e) => setAction(e.target.value as 'block' | 'allow')}
            className="h-9 rounded-md border border-border bg-background px-2 text-sm"
          >
            <option value="block">Block (not a person)</option>
            <option value="allow">Allow (always a person)</option>
          </select>
        </div>
        <Button type="submit" disabled={!pattern.trim() || set.isPending}>
          Add
        </Button>
      </form>
      {rules?.length ? (
        <ul className="flex flex-wrap gap-2" aria-label="Sender rules">
          {rules.map((r) => (
            <li
              key={r.id}
              className="inline-flex items-center gap-1 rounded-full border border-border py-0.5 pl-2 pr-1 text-xs"
            >
              <span
                className={
                  r.action === 'block'
                    ? 'text-destructive'
                    : 'text-emerald-700 dark:text-emerald-400'
                }
              >
                {r.action}
              </span>
              <span>{r.pattern}</span>
              <button
                type="button"
                aria-label={`Remove ${r.pattern}`}
                className="rounded-full p-0.5 hover:bg-muted"
                onClick={() => remove.mutate({ id: r.id })}
              >
                <X className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-muted-foreground">
          No rules: Rapport decides who is a person from the mail itself.
        </p>
      )}
    </div>
  );
}
