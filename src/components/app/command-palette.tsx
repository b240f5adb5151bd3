'use client';

import { useQuery } from '@tanstack/react-query';
import { LayoutDashboard, MessageSquareText, Search, Settings, User, Users } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { askWhenOpen } from '@/lib/ask-now';
import { useTRPC } from '@/lib/trpc';

type Item = { key: string; label: string; hint?: string; icon: typeof Search; go: () => void };

const PAGES = [
  { href: '/', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/contacts', label: 'Contacts', icon: Users },
  { href: '/ask', label: 'Ask', icon: MessageSquareText },
  { href: '/settings', label: 'Settings', icon: Settings },
];

/** Ctrl/⌘-K: any contact, page or question, from anywhere, by keyboard. */
export function CommandPalette() {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    const onOpen = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener('rapport:command-palette', onOpen);
    // Ctrl/⌘-K is heard from here on (a server-rendered page takes keys before it hydrates):
    // what drives the page (the browser tests) waits for this mark.
    document.documentElement.dataset.palette = 'ready';
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('rapport:command-palette', onOpen);
    };
  }, []);
  useEffect(() => {
    if (open) setTimeout(() => input.current?.focus(), 0);
  }, [open]);

  const term = query.trim();
  const { data: people } = useQuery({
    ...trpc.contacts.list.queryOptions({ search: term, limit: 8, humansOnly: false }),
    enabled: open && term.length >= 2,
  });

  const close = () => {
    setOpen(false);
    setQuery('');
    setActive(0);
  };
  const items = useMemo<Item[]>(() => {
    const go = (href: string) => () => {
      close();
      router.push(href);
    };
    const lower = term.toLowerCase();
    const pages = PAGES.filter((p) => !lower || p.label.toLowerCase().includes(lower)).map((p) => ({
      key: p.href,
      label: p.label,
      hint: 'Page',
      icon: p.icon,
      go: go(p.href),
    }));
    const contacts = (term.length >= 2 ? (people?.rows ?? []) : []).map((c) => ({
      key: c.id,
      label: c.name ?? c.email,
      hint: c.company ?? c.email,
      icon: User,
      go: go(`/contacts/${c.id}`),
    }));
    const ask = term
      ? [
          {
            key: 'ask',
            label: `Ask: ${term}`,
            hint: 'Assistant',
            icon: MessageSquareText,
            go: () => {
              askWhenOpen(term);
              go(`/ask?q=${encodeURIComponent(term)}`)();
            },
          },
        ]
      : [];
    return [...contacts, ...pages, ...ask];
  }, [term, people, router]);

  if (!open) return null;
  const current = Math.min(active, Math.max(0, items.length - 1));
  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center bg-black/40 p-4 pt-[12vh]"
      onClick={close}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        className="w-full max-w-lg overflow-hidden rounded-xl border border-border bg-card shadow-2xl"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="flex items-center gap-2 border-b border-border px-3">
          <Search className="size-4 text-muted-foreground" aria-hidden />
          <input
            ref={input}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((a) => Math.min(a + 1, items.length - 1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => Math.max(a - 1, 0));
              } else if (e.key === 'Enter') {
                e.preventDefault();
                items[current]?.go();
              } else if (e.key === 'Escape') close();
            }}
            placeholder="Search people, pages, or ask a question…"
            aria-label="Search people, pages, or ask a question"
            role="combobox"
            aria-expanded="true"
            aria-controls="command-results"
            aria-activedescendant={items[current] ? `cmd-${items[current].key}` : undefined}
            className="h-12 flex-1 bg-transparent text-sm outline-none"
          />
          <kbd className="rounded border border-border px-1.5 text-[10px] text-muted-foreground">
            Esc
          </kbd>
        </div>
        <ul id="command-results" role="listbox" className="max-h-80 overflow-auto p-1">
          {items.map((it, i) => (
            <li
              key={it.key}
              id={`cmd-${it.key}`}
              role="option"
              aria-selected={i === current}
              onMouseEnter={() => setActive(i)}
              onClick={it.go}
              className={cn(
                'flex cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm',
                i === current && 'bg-muted',
              )}
            >
              <it.icon className="size-4 text-muted-foreground" aria-hidden />
              <span className="flex-1 truncate">{it.label}</span>
              {it.hint ? (
                <span className="truncate text-xs text-muted-foreground">{it.hint}</span>
              ) : null}
            </li>
          ))}
          {items.length === 0 ? (
            <li className="px-3 py-6 text-center text-sm text-muted-foreground">Nothing found</li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}

/** A button that opens the palette (for pointer users), with its shortcut shown. */
export function CommandPaletteButton() {
  return (
    <button
      type="button"
      onClick={() => window.dispatchEvent(new Event('rapport:command-palette'))}
      className="flex items-center gap-2 rounded-md border border-border bg-background px-3 py-1.5 text-sm text-muted-foreground hover:bg-muted"
    >
      <Search className="size-4" aria-hidden />
      <span className="flex-1 text-left">Search…</span>
      <kbd className="text-[10px]">Ctrl K</kbd>
    </button>
  );
}
