import type { ReactNode } from 'react';
import { AppNav } from '@/components/app/app-nav';
import { SignOutButton } from '@/components/app/sign-out-button';
import { requireUser } from '@/server/auth/current-user';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col gap-6 border-r border-border bg-muted/40 p-4">
        <div className="px-3 text-lg font-semibold tracking-tight">Rapport</div>
        <AppNav />
        <div className="mt-auto flex flex-col gap-2 px-1">
          <div className="px-2 text-xs text-muted-foreground" data-testid="current-user">
            {user.email}
          </div>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-8">{children}</main>
    </div>
  );
}
