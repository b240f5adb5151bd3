import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/server/db/client';
import { mailAccounts, user, type MailProviderKind } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';

/**
 * The mail source for an import or sync, created on first use: one per provider and owner
 * address. Aliases given now are added to the ones it has.
 */
export async function ensureMailAccount(
  db: DbOrTx,
  options: { userId: string; provider: MailProviderKind; owners: string[] },
) {
  let owners = options.owners.map((o) => o.trim().toLowerCase()).filter(Boolean);
  if (owners.length === 0) {
    const [u] = await db
      .select({ email: user.email })
      .from(user)
      .where(eq(user.id, options.userId));
    if (!u) throw new AppError('NOT_FOUND', 'User not found');
    owners = [u.email.toLowerCase()];
  }
  const [address, ...aliases] = owners as [string, ...string[]];
  const [row] = rowsOf<{ id: string }>(
    await db.execute(sql`
      INSERT INTO mail_accounts (user_id, provider, address, aliases)
      VALUES (${options.userId}, ${options.provider}, ${address}, ${sql.param(aliases)}::text[])
      ON CONFLICT (user_id, provider, lower(address)) DO UPDATE
        SET aliases = ARRAY(SELECT DISTINCT unnest(mail_accounts.aliases || EXCLUDED.aliases)),
            updated_at = now()
      RETURNING id`),
  );
  const [account] = await db.select().from(mailAccounts).where(eq(mailAccounts.id, row!.id));
  return account!;
}

export function ownerSet(account: { address: string; aliases: string[] }) {
  return new Set([account.address, ...account.aliases].map((a) => a.toLowerCase()));
}

export async function findMailAccount(db: DbOrTx, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(mailAccounts)
    .where(and(eq(mailAccounts.id, id), eq(mailAccounts.userId, userId)));
  if (!row) throw new AppError('NOT_FOUND', 'Mail account not found');
  return row;
}
