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

/**
 * Deletes the account and all its data, after the user types their address and proves it is
 * them: their password, or (Google sign-in only) a sign-in within the last 10 minutes.
 */
export function DeleteAccount({ email, hasPassword }: { email: string; hasPassword: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirm, setConfirm] = useState('');
  const [password, setPassword] = useState('');
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
        del.mutate({ confirmEmail: confirm, ...(hasPassword ? { password } : {}) });
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
      {hasPassword ? (
        <div className="flex min-w-48 flex-col gap-1">
          <Label htmlFor="delete-password">Your password</Label>
          <Input
            id="delete-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </div>
      ) : (
        <p className="w-full text-muted-foreground">
          You sign in with Google: sign in again first, then delete within 10 minutes.
        </p>
      )}
      <Button
        type="submit"
        variant="destructive"
        disabled={
          confirm.trim().toLowerCase() !== email.toLowerCase() ||
          (hasPassword && !password) ||
          del.isPending
        }
      >
        Delete my account and data
      </Button>
    </form>
  );
}
