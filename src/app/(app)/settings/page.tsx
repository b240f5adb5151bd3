import { PageHeader } from '@/components/app/page-header';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getEnv, isEmbedded } from '@/env';
import { googleEnabled } from '@/server/auth/auth';
import { requireUser } from '@/server/auth/current-user';
import { passwordHash } from '@/server/auth/reauthenticate';
import { signupMode } from '@/server/auth/signup-policy';
import { Invitations } from '@/components/settings/invitations';
import { getDb } from '@/server/db/client';
import { AiStatus } from '@/components/settings/ai-status';
import { DeleteAccount, ExportContacts } from '@/components/settings/account-danger';
import { SenderRules } from '@/components/settings/sender-rules';
import { MailAccounts } from '@/components/settings/mail-accounts';
import { ImportedMailboxes } from '@/components/settings/imported-mailboxes';
import { MboxImport } from '@/components/settings/mbox-import';
import { RecentJobs } from '@/components/settings/recent-jobs';

export default async function SettingsPage() {
  const user = await requireUser();
  const db = await getDb();
  const hasPassword = (await passwordHash(db, user.id)) !== null;
  const invitations = (await signupMode(db, getEnv())) === 'invite';
  return (
    <>
      <PageHeader title="Settings">Your account and where your mail comes from.</PageHeader>
      <div className="flex max-w-3xl flex-col gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Account</CardTitle>
            <CardDescription>
              Signed in as {user.name} ({user.email})
            </CardDescription>
          </CardHeader>
        </Card>
        {invitations ? (
          <Card>
            <CardHeader>
              <CardTitle>Invitations</CardTitle>
              <CardDescription>
                Sign-up here is by invitation: make a link for someone to create an account.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <Invitations />
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Gmail</CardTitle>
            <CardDescription>
              Read-only access; synced every few minutes and on demand.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <MailAccounts googleEnabled={googleEnabled()} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Import mail</CardTitle>
            <CardDescription>
              Import a mailbox file. Importing the same file again adds nothing new.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <ImportedMailboxes />
            <MboxImport defaultOwner={user.email} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Background jobs</CardTitle>
            <CardDescription>Imports and other long work, most recent first.</CardDescription>
          </CardHeader>
          <CardContent>
            <RecentJobs />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>People and robots</CardTitle>
            <CardDescription>
              Block an address or a whole domain (never a person), or allow one (always a person).
              Rules win on every sync.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <SenderRules />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Export contacts</CardTitle>
            <CardDescription>
              Everyone in your CRM as a spreadsheet, or as vCards for your address book.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ExportContacts />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Assistant</CardTitle>
          </CardHeader>
          <CardContent>
            <AiStatus />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Database</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            {isEmbedded()
              ? 'Embedded PostgreSQL (PGlite) in the data directory: one process at a time.'
              : 'PostgreSQL server: any number of web and worker processes.'}
          </CardContent>
        </Card>
        <Card className="border-destructive/40">
          <CardHeader>
            <CardTitle>Delete account</CardTitle>
            <CardDescription>
              Removes your account and all its data — mail, contacts, notes, events and linked
              Google access — for good.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DeleteAccount email={user.email} hasPassword={hasPassword} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
