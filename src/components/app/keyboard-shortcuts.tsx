'use client';

import { Keyboard } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/** Two-key "go to" shortcuts: g then the letter. */
const GO: Record<string, { href: string; label: string }> = {
  d: { href: '/', label: 'Dashboard' },
  c: { href: '/contacts', label: 'Contacts' },
  a: { href: '/ask', label: 'Ask' },
  s: { href: '/settings', label: 'Settings' },
};

export const SHORTCUTS: { keys: string[]; does: string }[] = [
  { keys: ['Ctrl', 'K'], does: 'Search people, pages, or ask a question' },
  ...Object.entries(GO).map(([k, { label }]) => ({ keys: ['g', k], does: `Go to ${label}` })),
  { keys: ['/'], does: 'Focus the search box on this page' },
  { keys: ['j'], does: 'Next person or item in the list' },
  { keys: ['k'], does: 'Previous person or item' },
  { keys: ['Enter'], does: 'Open it' },
  { keys: ['x'], does: 'Select or unselect the person (contacts list)' },
  { keys: ['?'], does: 'Show these shortcuts' },
];

/** Inputs that take no typing: list keys still work when one has focus. */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

function typing(target: EventTarget | null) {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return (
    (tag === 'INPUT' && !NOT_TEXT.has((target as HTMLInputElement).type)) ||
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    target.isContentEditable ||
    target.closest('[role="dialog"]') !== null
  );
}

/** The list items on the page, in order, that j and k move through. */
function navItems(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('main [data-nav-item]')].filter(
    (el) => el.offsetParent !== null,
  );
}

function move(step: 1 | -1) {
  const items = navItems();
  if (!items.length) return;
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = at === -1 ? (step === 1 ? 0 : items.length - 1) : at + step;
  const el = items[Math.max(0, Math.min(items.length - 1, next))]!;
  el.focus();
  el.scrollIntoView({ block: 'nearest' });
}

/**
 * Keyboard navigation for the whole app (the palette has its own Ctrl/⌘-K): go-to pairs,
 * "/" for the page's search, j/k/Enter/x through lists, and "?" for this list.
 */
export function KeyboardShortcuts() {
  const router = useRouter();
  const [help, setHelp] = useState(false);
  const pendingG = useRef(0);

  useEffect(() => {
    const onOpen = () => setHelp(true);
    window.addEventListener('rapport:shortcuts', onOpen);
    return () => window.removeEventListener('rapport:shortcuts', onOpen);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        setHelp(false);
        return;
      }
      if (typing(e.target)) return;
      const key = e.key;
      if (pendingG.current && Date.now() - pendingG.current < 1500 && GO[key]) {
        pendingG.current = 0;
        e.preventDefault();
        router.push(GO[key].href);
        return;
      }
      pendingG.current = 0;
      switch (key) {
        case 'g':
          pendingG.current = Date.now();
          return;
        case '?':
          e.preventDefault();
          setHelp((h) => !h);
          return;
        case '/': {
          const search = document.querySelector<HTMLElement>('main [data-shortcut="search"]');
          if (search) {
            e.preventDefault();
            search.focus();
          }
          return;
        }
        case 'j':
        case 'k':
          e.preventDefault();
          move(key === 'j' ? 1 : -1);
          return;
        case 'x': {
          const row = (document.activeElement as HTMLElement | null)?.closest('[data-nav-row]');
          row?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.click();
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router]);

  if (!help) return null;
  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center bg-black/40 p-4 pt-[12vh]"
      onClick={() => setHelp(false)}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        className="w-full max-w-md rounded-xl border border-border bg-card p-5 shadow-2xl"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 className="mb-3 font-semibold">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-2 text-sm">
          {SHORTCUTS.map((s) => (
            <div key={s.does} className="contents">
              <dt className="flex items-start gap-1">
                {s.keys.map((k) => (
                  <kbd
                    key={k}
                    className="rounded border border-border bg-muted px-1.5 text-xs text-muted-foreground"
                  >
                    {k}
                  </kbd>
                ))}
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-xs text-muted-foreground">Esc closes this.</p>
      </div>
    </div>
  );
}

/** Opens the shortcut list for pointer users, and says that it exists. */
export function ShortcutsButton() {
  return (
    <button
      type="button"
      onClick={() => window.dispatchEvent(new Event('rapport:shortcuts'))}
      className="flex items-center gap-2 rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
    >
      <Keyboard className="size-4" aria-hidden />
      <span className="flex-1 text-left">Shortcuts</span>
      <kbd className="text-[10px]">?</kbd>
    </button>
  );
}
