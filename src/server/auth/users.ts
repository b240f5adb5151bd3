import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';

export async function findUserIdByEmail(db: DbOrTx, email: string): Promise<string> {
  const [row] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(sql`lower(${user.email})`, email.toLowerCase()));
  if (!row) throw new AppError('NOT_FOUND', `No user with the email ${email}`);
  return row.id;
}
