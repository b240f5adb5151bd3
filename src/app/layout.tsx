import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Toaster } from 'sonner';
import { Providers } from '@/components/app/providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Rapport',
  description: 'The CRM that builds itself from your email',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
        <Toaster richColors position="bottom-right" />
      </body>
    </html>
  );
}
