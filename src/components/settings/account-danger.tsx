'use client';

import { useMutation } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { authClient } from '@/lib/auth-client';
import { useTRPC } from '@/lib/trpc';

export function ExportContacts() {
  return (
    <div className="flex flex-wrap gap-2">
      <Button asChild variant="outline">
        <a href="/api/export/contacts?format=csv" download>
          <Download /> CSV
        </a>
      </Button>
      <Button asChild variant="outline">
        <a href="/api/export/contacts?format=vcf" download>
          <Download /> vCard
        </a>
      </Button>
    </div>
  );
}

/** Deletes the account and all its data, after the user types their address. */
export function DeleteAccount({ email }: { email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirm, setConfirm] = useState('');
  const del = useMutation(
    trpc.me.deleteAccount.mutationOptions({
      onSuccess: async () => {
        await authClient.signOut().catch(() => undefined);
        router.replace('/sign-in');
        router.refresh();
      },
      onError: (e) => toast.error(e.message),
    }),
  );
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        del.mutate({ confirmEmail: confirm });
      }}
    >
      <div className="flex min-w-56 flex-1 flex-col gap-1">
        <Label htmlFor="delete-confirm">Type {email} to confirm</Label>
        <Input
          id="delete-confirm"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          autoComplete="off"
        />
      </div>
      <Button
        type="submit"
        variant="destructive"
        disabled={confirm.trim().toLowerCase() !== email.toLowerCase() || del.isPending}
      >
        Delete my account and data
      </Button>
    </form>
  );
}
