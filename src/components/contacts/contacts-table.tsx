'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { useTRPC } from '@/lib/trpc';

const PAGE = 50;

export function ContactsTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const search = params.get('q') ?? '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const [draft, setDraft] = useState(search);

  // Search state lives in the URL so a view can be shared or reloaded.
  useEffect(() => {
    const id = setTimeout(() => {
      if (draft === search) return;
      const next = new URLSearchParams(params);
      if (draft) next.set('q', draft);
      else next.delete('q');
      next.delete('page');
      router.replace(`/contacts?${next.toString()}`);
    }, 250);
    return () => clearTimeout(id);
  }, [draft, search, params, router]);

  const { data, isLoading } = useQuery({
    ...trpc.contacts.list.queryOptions({
      search: search || undefined,
      limit: PAGE,
      offset: page * PAGE,
    }),
    placeholderData: keepPreviousData,
  });

  const go = (p: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    router.replace(`/contacts?${next.toString()}`);
  };

  return (
    <div className="flex flex-col gap-4">
      <Input
        aria-label="Search contacts"
        placeholder="Search by name, email or company"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        className="max-w-sm"
      />
      {!isLoading && data?.total === 0 ? (
        <EmptyState icon={Users} title={search ? 'No matches' : 'No contacts yet'}>
          {search
            ? 'Try another name, address or company.'
            : 'People appear here once mail is imported or Gmail is connected.'}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-border">
          <table className="w-full text-sm">
            <thead className="bg-muted/60 text-left text-muted-foreground">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Email</th>
                <th className="px-4 py-2 font-medium">Company</th>
                <th className="px-4 py-2 font-medium">Title</th>
                <th className="px-4 py-2 text-right font-medium">Strength</th>
              </tr>
            </thead>
            <tbody>
              {data?.rows.map((c) => (
                <tr key={c.id} className="border-t border-border hover:bg-muted/40">
                  <td className="px-4 py-2 font-medium">
                    <Link href={`/contacts/${c.id}`} className="hover:underline">
                      {c.name ?? c.email}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-muted-foreground">{c.email}</td>
                  <td className="px-4 py-2">{c.company ?? '—'}</td>
                  <td className="px-4 py-2">{c.title ?? '—'}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {c.strengthScore != null ? Math.round(c.strengthScore) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > PAGE ? (
        <div className="flex items-center gap-2 text-sm text-muted-foreground">
          <Button variant="outline" size="sm" disabled={page === 0} onClick={() => go(page - 1)}>
            Previous
          </Button>
          <span>
            {page * PAGE + 1}–{Math.min(data.total, (page + 1) * PAGE)} of{' '}
            {data.total.toLocaleString()}
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={(page + 1) * PAGE >= data.total}
            onClick={() => go(page + 1)}
          >
            Next
          </Button>
        </div>
      ) : null}
    </div>
  );
}
