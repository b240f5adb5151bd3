import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

/** The sign-up page of a server that is not taking this sign-up (RAPPORT_SIGNUP). */
export function SignupUnavailable({ mode }: { mode: 'invite' | 'closed' }) {
  return (
    <Card className="w-full max-w-sm" data-testid="signup-unavailable">
      <CardHeader>
        <CardTitle className="text-xl">
          {mode === 'invite' ? 'Sign-up is by invitation' : 'Sign-up is closed'}
        </CardTitle>
        <CardDescription>
          {mode === 'invite'
            ? 'Ask someone with an account here for an invitation link (Settings → Invitations).'
            : 'This Rapport server takes no new accounts: ask its operator for one.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        <Link className="text-primary hover:underline" href="/sign-in">
          Sign in
        </Link>
      </CardContent>
    </Card>
  );
}

/** Why Google's sign-in came back without a session, from better-auth's error code. */
export function signInErrorText(code: string | undefined) {
  if (!code) return null;
  if (/signup_invite_required/i.test(code))
    return 'No account here yet, and sign-up is by invitation: open your invitation link first.';
  if (/signup_closed/i.test(code)) return 'No account here yet, and sign-up is closed.';
  return 'Signing in with Google did not work. Try again.';
}
