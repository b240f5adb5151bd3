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
const SORTS = ['strength', 'name', 'company', 'last', 'emails'] as const;
type Sort = (typeof SORTS)[number];
const NATURAL: Record<Sort, 'asc' | 'desc'> = {
  strength: 'desc',
  name: 'asc',
  company: 'asc',
  last: 'desc',
  emails: 'desc',
};

export function ContactsTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const search = params.get('q') ?? '';
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const sort = (SORTS.find((x) => x === params.get('sort')) ?? 'strength') as Sort;
  const direction =
    params.get('dir') === 'asc' ? 'asc' : params.get('dir') === 'desc' ? 'desc' : undefined;
  const humansOnly = params.get('robots') !== '1';
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
      sort,
      direction,
      humansOnly,
      limit: PAGE,
      offset: page * PAGE,
    }),
    placeholderData: keepPreviousData,
  });

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    router.replace(`/contacts?${next.toString()}`);
  };
  const go = (p: number) => update({ page: String(p) });
  // Clicking the sorted column flips its direction; another column sorts by its natural order.
  const sortBy = (key: Sort) =>
    update({
      sort: key,
      dir: key === sort ? ((direction ?? NATURAL[key]) === 'asc' ? 'desc' : 'asc') : null,
      page: null,
    });
  const header = (key: Sort, label: string, className = '') => {
    const active = key === sort;
    const dir = direction ?? NATURAL[key];
    return (
      <th
        className={`px-4 py-2 font-medium ${className}`}
        aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <button
          type="button"
          className="inline-flex items-center gap-1 hover:text-foreground"
          onClick={() => sortBy(key)}
        >
          {label}
          {active ? <span aria-hidden>{dir === 'asc' ? '▲' : '▼'}</span> : null}
        </button>
      </th>
    );
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-4">
        <Input
          aria-label="Search contacts"
          placeholder="Search by name, email or company"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          className="max-w-sm"
        />
        <label className="flex items-center gap-2 text-sm text-muted-foreground">
          <input
            type="checkbox"
            checked={!humansOnly}
            onChange={(e) => update({ robots: e.target.checked ? '1' : null, page: null })}
          />
          Show lists, newsletters and robots too
        </label>
      </div>
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
                {header('name', 'Name')}
                <th className="px-4 py-2 font-medium">Email</th>
                {header('company', 'Company')}
                <th className="px-4 py-2 font-medium">Title</th>
                {header('emails', 'Emails', 'text-right')}
                {header('last', 'Last email')}
                {header('strength', 'Strength', 'text-right')}
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
                  <td className="px-4 py-2 text-right tabular-nums">{c.totalEmails ?? 0}</td>
                  <td className="px-4 py-2 text-muted-foreground">
                    {c.lastInteractionAt ? new Date(c.lastInteractionAt).toLocaleDateString() : '—'}
                  </td>
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
