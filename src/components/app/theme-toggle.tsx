'use client';

import { Monitor, Moon, Sun } from 'lucide-react';
import { useSyncExternalStore } from 'react';

type Theme = 'light' | 'dark' | 'system';
const KEY = 'rapport-theme';

/** Runs before paint (in the root layout) so a dark page never flashes light. */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem('${KEY}')||'system';var d=t==='dark'||(t==='system'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.classList.toggle('dark',d)}catch(e){}})()`;

function apply(theme: Theme) {
  const dark =
    theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

const listeners = new Set<() => void>();
const read = (): Theme => (localStorage.getItem(KEY) as Theme | null) ?? 'system';

export function ThemeToggle() {
  const theme = useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    read,
    () => 'system' as Theme,
  );
  const next: Record<Theme, Theme> = { light: 'dark', dark: 'system', system: 'light' };
  const Icon = theme === 'light' ? Sun : theme === 'dark' ? Moon : Monitor;
  return (
    <button
      type="button"
      onClick={() => {
        const t = next[theme];
        localStorage.setItem(KEY, t);
        apply(t);
        listeners.forEach((l) => l());
      }}
      className="flex items-center gap-2 rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
      aria-label={`Theme: ${theme}. Switch to ${next[theme]}`}
    >
      <Icon className="size-4" aria-hidden />{' '}
      {theme === 'system' ? 'System theme' : theme === 'dark' ? 'Dark' : 'Light'}
    </button>
  );
}
