import { once } from 'node:events';
import fs from 'node:fs';
import { and, asc, count, eq, gt, gte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { boundedEmail } from '@/lib/bounded-string';
import { contacts, emails, events, user } from '@/server/db/schema';
import { AppError } from '@/server/errors/app-error';
import { getRuntime } from '@/server/runtime-handle';
import { getTopContacts, TOP_METRICS } from '@/server/analytics/top-contacts';
import {
  defineCommand,
  findUserId,
  onlyUserId,
  type CommandContext,
  type CommandDef,
} from './define-command';
import { userCommands } from './user-commands';

export type { CommandContext };

/**
 * Commands that need the database. The CLI runs them in-process, or, when the embedded server
 * holds the data dir, sends them to that server (`/api/cli`), which runs the same definitions.
 */
export const commands = {
  status: defineCommand({
    input: z.object({ user: boundedEmail().optional() }),
    async run({ handle }, input) {
      const userId = input.user ? await findUserId(handle, input.user) : undefined;
      const scope = <T extends { userId: unknown }>(t: T) =>
        userId ? eq(t.userId as never, userId) : undefined;
      const [[users], [people], [mail]] = await Promise.all([
        handle.db.select({ n: count() }).from(user),
        handle.db.select({ n: count() }).from(contacts).where(scope(contacts)),
        handle.db.select({ n: count() }).from(emails).where(scope(emails)),
      ]);
      return {
        database: handle.driver,
        ...(handle.dataDir ? { dataDir: handle.dataDir } : {}),
        users: users?.n ?? 0,
        contacts: people?.n ?? 0,
        emails: mail?.n ?? 0,
      };
    },
  }),
  ...userCommands,
  /** One page of the event log, oldest first; the CLI pages through it into JSON Lines. */
  'events.export': defineCommand({
    input: z.object({
      since: z.coerce.date().optional(),
      user: boundedEmail().optional(),
      type: z.string().max(100).optional(),
      afterId: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    async run({ handle }, input) {
      const filters: SQL[] = [gt(events.id, input.afterId)];
      if (input.since) filters.push(gte(events.createdAt, input.since));
      if (input.user) filters.push(eq(events.userId, await findUserId(handle, input.user)));
      if (input.type) filters.push(eq(events.type, input.type));
      const rows = await handle.db
        .select()
        .from(events)
        .where(and(...filters))
        .orderBy(asc(events.id))
        .limit(input.limit);
      return { events: rows, nextAfterId: rows.length === input.limit ? rows.at(-1)!.id : null };
    },
  }),
  'contacts.top': defineCommand({
    input: z.object({
      user: boundedEmail(),
      metric: z.enum(TOP_METRICS).default('strength'),
      limit: z.number().int().min(1).max(200).default(20),
      company: z.string().max(200).optional(),
    }),
    async run({ handle }, input) {
      const userId = await findUserId(handle, input.user);
      const rows = await getTopContacts(handle.db, userId, {
        metric: input.metric,
        limit: input.limit,
        filters: { company: input.company },
      });
      return rows.map((r) => ({
        name: r.name,
        email: r.email,
        company: r.company,
        sent: r.emailsSent,
        received: r.emailsReceived,
        strength: Math.round(r.strengthScore),
        last: r.lastInteractionAt,
        ...(input.metric === 'going-cold' ? { cold: Math.round(r.coldScore) } : {}),
      }));
    },
  }),
  /** `rapport ask`: the assistant, for one user (the only one when there is just one). */
  'assistant.ask': defineCommand({
    input: z.object({
      user: boundedEmail().optional(),
      question: z.string().trim().min(1, 'ask a question').max(1000),
      contact: z.string().max(254).optional(),
      engine: z.enum(['auto', 'builtin']).default('auto'),
      timeZone: z.string().max(64).optional(),
    }),
    async run({ handle }, input) {
      const { ask } = await import('@/server/assistant/assistant');
      const { findPeople } = await import('@/server/assistant/network-data');
      const userId = input.user ? await findUserId(handle, input.user) : await onlyUserId(handle);
      let contactId: string | undefined;
      if (input.contact) {
        const [c] = await findPeople(handle.db, userId, input.contact, 1);
        if (!c) throw new AppError('NOT_FOUND', `No contact matches ${input.contact}`);
        contactId = c.id;
      }
      return ask(
        handle.db,
        userId,
        input.question,
        { contactId, timeZone: input.timeZone },
        {
          engine: input.engine,
        },
      );
    },
  }),
  /**
   * `rapport sync`: the user's Gmail accounts now. On the server that holds the database the
   * syncs are queued as jobs; run by the CLI itself, they run here, in turn.
   */
  'mail.sync': defineCommand({
    input: z.object({ user: boundedEmail().optional(), account: z.string().max(254).optional() }),
    async run({ handle }, input) {
      const { mailAccounts } = await import('@/server/db/schema');
      const userId = input.user ? await findUserId(handle, input.user) : await onlyUserId(handle);
      const rows = (
        await handle.db.select().from(mailAccounts).where(eq(mailAccounts.userId, userId))
      ).filter(
        (a) =>
          a.provider === 'gmail' &&
          (!input.account || a.id === input.account || a.address === input.account.toLowerCase()),
      );
      if (rows.length === 0)
        throw new AppError(
          'NOT_FOUND',
          'No Gmail account to sync: connect Gmail in Settings first',
        );
      const runtime = await getRuntime().catch(() => null);
      if (runtime) {
        const queued = [];
        for (const a of rows)
          queued.push({
            account: a.address,
            jobId: await runtime.queue.enqueue('mail.sync-gmail', {
              userId,
              accountId: a.id,
              reason: 'manual',
            }),
          });
        return { queued };
      }
      const { gmailProviderFor } = await import('@/server/mail/gmail/gmail-account');
      const { syncMailAccount } = await import('@/server/mail/sync-account');
      const synced = [];
      for (const a of rows) {
        try {
          const { provider } = gmailProviderFor(handle.db, a);
          synced.push({
            account: a.address,
            ...(await syncMailAccount({ db: handle.db, userId, accountId: a.id, provider })),
          });
        } catch (err) {
          synced.push({ account: a.address, error: (err as Error).message });
        }
      }
      return { synced };
    },
  }),
  /** `rapport enrich`: one contact (by name or address) or all of the user's people, now. */
  'contacts.enrich': defineCommand({
    input: z.object({
      user: boundedEmail().optional(),
      contact: z.string().max(254).optional(),
      all: z.boolean().default(false),
      force: z.boolean().default(false),
    }),
    async run({ handle }, input) {
      if (!input.contact && !input.all)
        throw new AppError('INVALID_INPUT', 'Say --contact <name or email> or --all');
      const { findPeople } = await import('@/server/assistant/network-data');
      const { enrichContacts } = await import('@/server/enrichment/enrich-contacts');
      const { getPipeline } = await import('@/server/enrichment/pipeline');
      const userId = input.user ? await findUserId(handle, input.user) : await onlyUserId(handle);
      const pipeline = getPipeline();
      if (input.contact) {
        const [c] = await findPeople(handle.db, userId, input.contact, 1);
        if (!c) throw new AppError('NOT_FOUND', `No contact matches ${input.contact}`);
        const r = await pipeline.enrichContact(handle.db, userId, c.id, { force: input.force });
        return { contact: c.email, providers: pipeline.providers.map((p) => p.name), ...r };
      }
      return {
        providers: pipeline.providers.map((p) => p.name),
        ...(await enrichContacts(handle.db, pipeline, {
          userId,
          force: input.force,
          limit: 100_000,
        })),
      };
    },
  }),
  /** Runs in the CLI's process, or on the server that holds the embedded database. */
  'contacts.reextract': defineCommand({
    input: z.object({ user: boundedEmail() }),
    async run({ handle }, input) {
      const { reextractContacts } = await import('@/server/contacts/reextract-contacts');
      const userId = await findUserId(handle, input.user);
      return reextractContacts(handle.db, { userId });
    },
  }),
  /** `rapport backup export`: the user's data as JSON Lines, written to a file by whoever holds the database. */
  'backup.export': defineCommand({
    input: z.object({ user: boundedEmail(), out: z.string().min(1).max(4096) }),
    async run({ handle }, input) {
      const { exportUserData } = await import('@/server/backup/user-backup');
      const userId = await findUserId(handle, input.user);
      // Written beside the target and renamed into place: a failed export leaves no half file.
      const partial = `${input.out}.partial`;
      // 0600: a backup holds the user's mail and password hash.
      const out = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 });
      try {
        await once(out, 'open');
        const counts = await exportUserData(handle.db, userId, out);
        out.end();
        await once(out, 'finish');
        fs.renameSync(partial, input.out);
        return { file: input.out, counts };
      } catch (err) {
        out.destroy();
        fs.rmSync(partial, { force: true });
        throw err;
      }
    },
  }),
  /** `rapport backup restore`: all or nothing, from a file `backup.export` wrote. */
  'backup.restore': defineCommand({
    input: z.object({
      file: z.string().min(1).max(4096),
      replace: z.boolean().default(false),
      user: boundedEmail().optional(),
      trustCredentials: z.boolean().default(false),
    }),
    async run({ handle }, input) {
      const { restoreUserData } = await import('@/server/backup/user-backup');
      return restoreUserData(handle.db, input.file, {
        replace: input.replace,
        user: input.user,
        trustCredentials: input.trustCredentials,
      });
    },
  }),
  /** Server side of `rapport import` while the embedded server holds the database. */
  'mail.import': defineCommand({
    input: z.object({
      user: boundedEmail(),
      file: z.string().min(1).max(4096),
      owners: z.array(z.string().max(254)).max(100).default([]),
    }),
    async run({ handle }, input) {
      const userId = await findUserId(handle, input.user);
      const [{ maxId }] = (await handle.query<{ maxId: number | null }>(
        'SELECT max(id)::int AS "maxId" FROM events',
      )) as [{ maxId: number | null }];
      const { queue } = await getRuntime();
      // One import per user at a time, as for uploads.
      if (await queue.hasPending('mail.import-mbox', userId))
        throw new AppError('CONFLICT', `An import for ${input.user} is already on its way`);
      const jobId = await queue.enqueue('mail.import-mbox', {
        userId,
        file: input.file,
        owners: input.owners,
      });
      if (!jobId) throw new AppError('CONFLICT', `${input.file} is already being imported`);
      return { jobId, afterEventId: maxId ?? 0 };
    },
  }),
  'mail.import-status': defineCommand({
    input: z.object({ jobId: z.string().max(100), afterEventId: z.number().int() }),
    async run({ handle }, input) {
      const status = await (await getRuntime()).queue.getJobStatus(input.jobId);
      if (!status) throw new AppError('NOT_FOUND', 'No such import job');
      const [latest] = await handle.query<{ payload: Record<string, number> }>(
        `SELECT payload FROM events WHERE type = 'emails.synced' AND user_id = $1 AND id > $2
          ORDER BY id DESC LIMIT 1`,
        [status.userId, input.afterEventId],
      );
      return { state: status.state, output: status.output, progress: latest?.payload ?? null };
    },
  }),
} as const;

export type CommandName = keyof typeof commands;

export async function runCommand(ctx: CommandContext, name: string, rawInput: unknown) {
  // Own keys only: `in` would take `toString` or `__proto__` (a name from /api/cli's body) for a command.
  if (!Object.hasOwn(commands, name)) throw new AppError('NOT_FOUND', `Unknown command ${name}`);
  const def = commands[name as CommandName] as CommandDef<z.ZodType>;
  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', parsed.error.issues.map((i) => i.message).join('; '));
  }
  return def.run(ctx, parsed.data);
}
