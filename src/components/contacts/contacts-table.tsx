'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { toast } from 'sonner';
import {
  CONTACTS_PAGE_SIZE,
  contactListInput,
  readContactListParams,
  type ContactShow,
  type ContactSort,
} from '@/lib/contact-list-input';
import { DuplicateReview, DuplicatesButton } from './duplicate-review';
import { usePageReady } from '@/lib/use-page-ready';
import { useTRPC } from '@/lib/trpc';
import { LocalDate, LocalNumber } from '@/components/ui/local-format';

const PAGE = CONTACTS_PAGE_SIZE;
type Sort = ContactSort;
/** The list's views: who they are, and what each holds. */
const SHOW_OPTIONS: [ContactShow, string, string][] = [
  ['people', 'People', 'The people you correspond with: you wrote to them, or they wrote to you'],
  ['seen', 'Seen on others’ mail', 'People only ever copied beside you on someone else’s mail'],
  ['robots', 'Lists & robots', 'Mailing lists, newsletters and automated senders'],
  ['all', 'Everyone', 'Everyone in your mail'],
];
const NATURAL: Record<Sort, 'asc' | 'desc'> = {
  strength: 'desc',
  name: 'asc',
  company: 'asc',
  last: 'desc',
  emails: 'desc',
};

const EMPTY: Record<ContactShow, [string, string]> = {
  people: ['No contacts yet', 'People appear here once mail is imported or Gmail is connected.'],
  seen: ['Nobody only seen', 'Everyone in your mail has corresponded with you.'],
  robots: ['No lists or robots', 'No mailing list or automated sender has written to you.'],
  all: ['No contacts yet', 'People appear here once mail is imported or Gmail is connected.'],
};

/** A filter field that applies itself a moment after typing stops. */
function FilterInput({
  label,
  value,
  onChange,
  type = 'text',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
}) {
  const [draft, setDraft] = useState(value);
  // The URL changed from elsewhere ("Clear filters"): show what it says now.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setDraft(value);
  }
  const id = `filter-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  useEffect(() => {
    if (draft === value) return;
    const t = setTimeout(() => onChange(draft.trim()), 300);
    return () => clearTimeout(t);
  }, [draft, value, onChange]);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </label>
      <Input
        id={id}
        type={type}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        className={type === 'number' ? 'w-24' : 'w-40'}
        {...(type === 'number' ? { min: 0, max: 100 } : {})}
      />
    </div>
  );
}

export function ContactsTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const listState = readContactListParams(params);
  const { search, page, sort, direction, show, company, tag, last } = listState;
  const [draft, setDraft] = useState(search);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkTag, setBulkTag] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const queryClient = useQueryClient();

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
    ...trpc.contacts.list.queryOptions(contactListInput(listState)),
    placeholderData: keepPreviousData,
  });
  usePageReady('contacts', data !== undefined);
  const refresh = () => {
    setSelected(new Set());
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.contacts.mergeSuggestions.queryKey() });
  };
  const tagMutation = useMutation(
    trpc.contacts.bulkTag.mutationOptions({
      onSuccess: (r, v) => {
        toast.success(
          `${v.action === 'add' ? 'Tagged' : 'Untagged'} ${r.updated} contact${r.updated === 1 ? '' : 's'}`,
        );
        setBulkTag('');
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const hideMutation = useMutation(
    trpc.contacts.setHidden.mutationOptions({
      onSuccess: (r) => {
        toast.success(`${r.updated} hidden`);
        refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ids = [...selected];

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
          data-shortcut="search"
          placeholder="Search by name, email or company"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          className="max-w-sm"
        />
        <div
          role="radiogroup"
          aria-label="Whom to show"
          className="inline-flex rounded-lg border border-border p-0.5 text-sm"
        >
          {SHOW_OPTIONS.map(([value, label, hint]) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={show === value}
              title={hint}
              onClick={() =>
                update({ show: value === 'people' ? null : value, robots: null, page: null })
              }
              className={`rounded-md px-3 py-1 ${show === value ? 'bg-primary text-primary-foreground' : 'text-muted-foreground hover:text-foreground'}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filters">
        <FilterInput
          label="Company"
          value={company}
          onChange={(v) => update({ company: v || null, page: null })}
        />
        <FilterInput
          label="Tag"
          value={tag}
          onChange={(v) => update({ tag: v || null, page: null })}
        />
        <FilterInput
          label="Strength ≥"
          type="number"
          value={params.get('min') ?? ''}
          onChange={(v) => update({ min: v || null, page: null })}
        />
        <FilterInput
          label="Strength ≤"
          type="number"
          value={params.get('max') ?? ''}
          onChange={(v) => update({ max: v || null, page: null })}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="filter-last" className="text-xs text-muted-foreground">
            Last email
          </label>
          <select
            id="filter-last"
            value={last}
            onChange={(e) => update({ last: e.target.value || null, page: null })}
            className="h-9 rounded-md border border-border bg-background px-2"
          >
            <option value="">Any time</option>
            <option value="30d">In the last 30 days</option>
            <option value="90d">In the last 90 days</option>
            <option value="old90">Over 90 days ago</option>
            <option value="old365">Over a year ago</option>
          </select>
        </div>
        {company || tag || last || params.get('min') || params.get('max') ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() =>
              update({ company: null, tag: null, last: null, min: null, max: null, page: null })
            }
          >
            Clear filters
          </Button>
        ) : null}
        <div className="ml-auto">
          {data !== undefined ? (
            <DuplicatesButton open={reviewing} onToggle={() => setReviewing((r) => !r)} />
          ) : null}
        </div>
      </div>
      {reviewing ? <DuplicateReview onChange={refresh} /> : null}
      {ids.length > 0 ? (
        <div
          className="flex flex-wrap items-center gap-2 rounded-xl border border-primary/40 bg-primary/5 p-2 text-sm"
          aria-label="Bulk actions"
        >
          <span className="px-1 font-medium">{ids.length} selected</span>
          <Input
            aria-label="Tag"
            placeholder="tag"
            value={bulkTag}
            onChange={(e) => setBulkTag(e.target.value)}
            className="h-8 w-40"
          />
          <Button
            size="sm"
            disabled={!bulkTag.trim()}
            onClick={() => tagMutation.mutate({ ids, tag: bulkTag.trim(), action: 'add' })}
          >
            Add tag
          </Button>
          <Button
            size="sm"
            variant="outline"
            disabled={!bulkTag.trim()}
            onClick={() => tagMutation.mutate({ ids, tag: bulkTag.trim(), action: 'remove' })}
          >
            Remove tag
          </Button>
          <Button
            size="sm"
            variant="outline"
            onClick={() => hideMutation.mutate({ ids, hidden: true })}
          >
            Hide
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear
          </Button>
        </div>
      ) : null}
      {!isLoading && data?.total === 0 ? (
        <EmptyState icon={Users} title={search ? 'No matches' : EMPTY[show][0]}>
          {search ? 'Try another name, address or company.' : EMPTY[show][1]}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-border">
          <table className="w-full text-sm">
            <thead className="bg-muted/60 text-left text-muted-foreground">
              <tr>
                <th className="w-8 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={!!data?.rows.length && data.rows.every((c) => selected.has(c.id))}
                    onChange={(e) =>
                      setSelected(
                        e.target.checked ? new Set(data?.rows.map((c) => c.id)) : new Set(),
                      )
                    }
                  />
                </th>
                {header('name', 'Name')}
                <th className="hidden px-4 py-2 font-medium md:table-cell">Email</th>
                {header('company', 'Company')}
                <th className="hidden px-4 py-2 font-medium lg:table-cell">Title</th>
                {header('emails', 'Emails', 'text-right')}
                {header('last', 'Last email')}
                {header('strength', 'Strength', 'text-right')}
              </tr>
            </thead>
            <tbody>
              {isLoading ? <SkeletonRows /> : null}
              {data?.rows.map((c) => (
                <tr key={c.id} data-nav-row className="border-t border-border hover:bg-muted/40">
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`Select ${c.name ?? c.email}`}
                      checked={selected.has(c.id)}
                      onChange={() => toggle(c.id)}
                    />
                  </td>
                  <td className="px-4 py-2 font-medium">
                    <Link data-nav-item href={`/contacts/${c.id}`} className="hover:underline">
                      {c.name ?? c.email}
                    </Link>
                    {c.isHuman && !c.corresponded && show !== 'seen' ? (
                      <span
                        className="ml-2 rounded bg-muted px-1.5 text-[11px] font-normal text-muted-foreground"
                        title="Only seen beside you on others’ mail: you have not corresponded"
                      >
                        seen
                      </span>
                    ) : null}
                    {!c.isHuman && show !== 'robots' ? (
                      <span className="ml-2 rounded bg-muted px-1.5 text-[11px] font-normal text-muted-foreground">
                        robot
                      </span>
                    ) : null}
                    {c.tags.length ? (
                      <span className="ml-2 inline-flex gap-1">
                        {c.tags.slice(0, 3).map((t) => (
                          <span
                            key={t}
                            className="rounded bg-muted px-1.5 text-[11px] font-normal text-muted-foreground"
                          >
                            {t}
                          </span>
                        ))}
                      </span>
                    ) : null}
                  </td>
                  <td className="hidden px-4 py-2 text-muted-foreground md:table-cell">
                    {c.email}
                  </td>
                  <td className="px-4 py-2">{c.company ?? '—'}</td>
                  <td className="hidden px-4 py-2 lg:table-cell">{c.title ?? '—'}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{c.totalEmails ?? 0}</td>
                  <td className="px-4 py-2 text-muted-foreground">
                    {c.lastInteractionAt ? <LocalDate value={c.lastInteractionAt} /> : '—'}
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
            <LocalNumber value={data.total} />
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

/** Table rows in the list's shape while the first page loads. */
function SkeletonRows() {
  return Array.from({ length: 12 }, (_, i) => (
    <tr key={i} className="border-t border-border" aria-hidden data-skeleton>
      <td className="px-3 py-3">
        <Skeleton className="size-4" />
      </td>
      <td className="px-4 py-3">
        <Skeleton className={i % 2 ? 'h-4 w-32' : 'h-4 w-40'} />
      </td>
      <td className="hidden px-4 py-3 md:table-cell">
        <Skeleton className="h-4 w-44" />
      </td>
      <td className="px-4 py-3">
        <Skeleton className="h-4 w-24" />
      </td>
      <td className="hidden px-4 py-3 lg:table-cell">
        <Skeleton className="h-4 w-28" />
      </td>
      <td className="px-4 py-3">
        <Skeleton className="ml-auto h-4 w-8" />
      </td>
      <td className="px-4 py-3">
        <Skeleton className="h-4 w-20" />
      </td>
      <td className="px-4 py-3">
        <Skeleton className="ml-auto h-4 w-8" />
      </td>
    </tr>
  ));
}
