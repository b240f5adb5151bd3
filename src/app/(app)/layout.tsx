import type { ReactNode } from 'react';
import { AppNav } from '@/components/app/app-nav';
import { CommandPalette, CommandPaletteButton } from '@/components/app/command-palette';
import { KeyboardShortcuts, ShortcutsButton } from '@/components/app/keyboard-shortcuts';
import { SignOutButton } from '@/components/app/sign-out-button';
import { ThemeToggle } from '@/components/app/theme-toggle';
import { requireUser } from '@/server/auth/current-user';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-card px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:left-2 focus:top-2"
      >
        Skip to content
      </a>
      {/* Phones: a top bar with the same navigation. */}
      <header className="flex flex-col gap-2 border-b border-border bg-muted/40 p-3 md:hidden">
        <div className="flex items-center justify-between">
          <span className="text-lg font-semibold tracking-tight">Rapport</span>
          <CommandPaletteButton />
        </div>
        <AppNav horizontal />
      </header>
      <aside className="hidden w-56 shrink-0 flex-col gap-6 border-r border-border bg-muted/40 p-4 md:flex">
        <div className="px-3 text-lg font-semibold tracking-tight">Rapport</div>
        <CommandPaletteButton />
        <AppNav />
        <div className="mt-auto flex flex-col gap-2 px-1">
          <ThemeToggle />
          <ShortcutsButton />
          <div className="px-2 text-xs text-muted-foreground" data-testid="current-user">
            {user.email}
          </div>
          <SignOutButton />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 outline-none md:p-8">
        {children}
      </main>
      <CommandPalette />
      <KeyboardShortcuts />
    </div>
  );
}
