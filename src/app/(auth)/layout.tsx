import type { ReactNode } from 'react';

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 bg-muted p-6">
      <div className="text-2xl font-semibold tracking-tight">Rapport</div>
      {children}
    </main>
  );
}
