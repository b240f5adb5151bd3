import crypto from 'node:crypto';
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db/client';
import { invites } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';

/** How long an invitation admits someone, and how many a user may have waiting. */
export const INVITE_DAYS = 7;
const MAX_PENDING = 20;

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const pending = () => and(isNull(invites.usedAt), gt(invites.expiresAt, sql`now()`));

/** A new single-use invitation; its token is shown once (only its hash is kept). */
export async function createInvite(
  db: DbOrTx,
  o: { userId: string; email?: string; days?: number },
) {
  const [open] = await db
    .select({ n: count() })
    .from(invites)
    .where(and(eq(invites.userId, o.userId), pending()));
  if ((open?.n ?? 0) >= MAX_PENDING)
    throw new AppError('CONFLICT', `${MAX_PENDING} invitations are waiting already: withdraw one`);
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + (o.days ?? INVITE_DAYS) * 86_400_000);
  const [row] = await db
    .insert(invites)
    .values({
      userId: o.userId,
      tokenHash: hashOf(token),
      email: o.email?.toLowerCase() ?? null,
      expiresAt,
    })
    .returning({ id: invites.id });
  return { id: row!.id, token, expiresAt };
}

/** The user's invitations still waiting, newest first. */
export function listInvites(db: DbOrTx, userId: string) {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .where(and(eq(invites.userId, userId), pending()))
    .orderBy(desc(invites.createdAt));
}

export async function revokeInvite(db: DbOrTx, userId: string, id: string) {
  const gone = await db
    .delete(invites)
    .where(and(eq(invites.id, id), eq(invites.userId, userId)))
    .returning({ id: invites.id });
  if (!gone.length) throw new AppError('NOT_FOUND', 'No such invitation');
}

/** Whether a token is an invitation still waiting (for `email`, when it names one). */
export async function validInvite(db: DbOrTx, token: string, email?: string) {
  const [row] = await db
    .select({ email: invites.email })
    .from(invites)
    .where(and(eq(invites.tokenHash, hashOf(token)), pending()));
  return Boolean(row && (!row.email || !email || row.email === email.toLowerCase()));
}

/** Uses an invitation up for `email`, atomically (two sign-ups cannot share one): whether it did. */
export async function consumeInvite(db: DbOrTx, token: string, email: string) {
  const used = await db
    .update(invites)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(invites.tokenHash, hashOf(token)),
        pending(),
        sql`(${invites.email} IS NULL OR ${invites.email} = ${email.toLowerCase()})`,
      ),
    )
    .returning({ id: invites.id });
  return used.length > 0;
}

/** Records who an invitation admitted, once their account exists. */
export async function recordInvitee(db: DbOrTx, token: string, userId: string) {
  await db
    .update(invites)
    .set({ usedBy: userId })
    .where(eq(invites.tokenHash, hashOf(token)));
}
