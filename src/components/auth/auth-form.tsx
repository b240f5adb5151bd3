'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { authClient } from '@/lib/auth-client';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-policy';
import { safeNextPath } from '@/lib/safe-next-path';

export function AuthForm({
  mode,
  google,
  signupLink = true,
}: {
  mode: 'sign-in' | 'sign-up';
  google: boolean;
  /** Whether to offer sign-up (not on a server whose sign-up is closed). */
  signupLink?: boolean;
}) {
  const router = useRouter();
  // Only ever a path of this app (`?next=//evil.example` is another site).
  const next = safeNextPath(useSearchParams().get('next'));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const signUp = mode === 'sign-up';

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    setPending(true);
    setError(null);
    // Sign-up answers a taken address as it answers a new one and signs no one in: signing in
    // with the same password is what tells (it fails, like any wrong password, for a taken one).
    const created = signUp
      ? await authClient.signUp.email({ email, password, name: String(form.get('name')) })
      : null;
    const { error } = created?.error ? created : await authClient.signIn.email({ email, password });
    setPending(false);
    if (error) {
      setError(
        error.status === 429
          ? 'Too many attempts. Wait a minute and try again.'
          : (error.message ?? 'Something went wrong'),
      );
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle className="text-xl">
          {signUp ? 'Create your account' : 'Sign in to Rapport'}
        </CardTitle>
        <CardDescription>
          {signUp ? 'Your mailbox becomes a CRM that keeps itself up to date.' : 'Welcome back.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {google ? (
          <>
            <Button
              variant="outline"
              type="button"
              onClick={() =>
                void authClient.signIn.social({
                  provider: 'google',
                  callbackURL: next,
                  // A refused sign-up (RAPPORT_SIGNUP) comes back to say why.
                  errorCallbackURL: '/sign-in',
                })
              }
            >
              Continue with Google
            </Button>
            <div className="text-center text-xs text-muted-foreground">or with email</div>
          </>
        ) : null}
        <form className="flex flex-col gap-3" onSubmit={onSubmit}>
          {signUp ? (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="name">Name</Label>
              <Input id="name" name="name" autoComplete="name" required />
            </div>
          ) : null}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="password">Password</Label>
            <Input
              id="password"
              name="password"
              type="password"
              minLength={signUp ? MIN_PASSWORD_LENGTH : undefined}
              autoComplete={signUp ? 'new-password' : 'current-password'}
              required
              aria-describedby={signUp ? 'password-hint' : undefined}
            />
            {signUp ? (
              <p id="password-hint" className="text-xs text-muted-foreground">
                At least {MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good one.
              </p>
            ) : null}
          </div>
          {error ? (
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? 'Please wait…' : signUp ? 'Create account' : 'Sign in'}
          </Button>
        </form>
        <p className="text-center text-sm text-muted-foreground" hidden={!signUp && !signupLink}>
          {signUp ? 'Already have an account? ' : 'New to Rapport? '}
          <Link className="text-primary hover:underline" href={signUp ? '/sign-in' : '/sign-up'}>
            {signUp ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
