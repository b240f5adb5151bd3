import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { Providers } from '@/components/app/providers';
import { THEME_SCRIPT } from '@/components/app/theme-toggle';
import './globals.css';

export const metadata: Metadata = {
  title: 'Rapport',
  description: 'The CRM that builds itself from your email',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (src/proxy.ts): the theme script runs before paint, so it needs one.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
        <Toaster richColors position="bottom-right" />
      </body>
    </html>
  );
}
