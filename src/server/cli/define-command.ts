import type { z } from 'zod';
import type { Auth } from '@/server/auth/auth';
import { findUserIdByEmail } from '@/server/auth/users';
import type { DbHandle } from '@/server/db/client';
import { user } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';

export type CommandContext = { handle: DbHandle; auth: Auth };

export type CommandDef<I extends z.ZodType> = {
  input: I;
  run(ctx: CommandContext, input: z.infer<I>): Promise<unknown>;
};

/** A command the CLI runs in-process or sends to the serving process (`/api/cli`). */
export function defineCommand<I extends z.ZodType>(def: CommandDef<I>) {
  return def;
}

export const findUserId = (handle: DbHandle, email: string) => findUserIdByEmail(handle.db, email);

/** Commands that name no user act for the only one, and say so when there are several. */
export async function onlyUserId(handle: DbHandle) {
  const rows = await handle.db.select({ id: user.id, email: user.email }).from(user).limit(3);
  if (rows.length === 1) return rows[0]!.id;
  throw new AppError(
    'INVALID_INPUT',
    rows.length === 0
      ? 'There are no users yet: sign up in the web app or run `rapport users create`'
      : 'There are several users: say whose network with --user <email>',
  );
}
