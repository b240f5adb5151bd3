import { createWriteStream, existsSync } from 'node:fs';
import { Command } from 'commander';
import { getEnv } from '@/env';
import { openCommandRunner, runWithDatabase } from '@/server/cli/run-with-database';
import { addUsersCommands } from '@/server/cli/users-program';

if (existsSync('.env')) process.loadEnvFile('.env');
process.env.NEXT_TELEMETRY_DISABLED = '1';

const program = new Command()
  .name('rapport')
  .description('Rapport: the CRM that builds itself from your email')
  .showHelpAfterError();

function print(result: unknown, json: boolean) {
  if (json || typeof result !== 'object' || result === null) {
    console.log(JSON.stringify(result, null, json ? 0 : 2));
    return;
  }
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(12)} ${String(v)}`);
}

program
  .command('serve')
  .description('migrate, then serve the web app (and, embedded, run the worker in-process)')
  .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)', Number)
  .option(
    '--host <host>',
    'interface to bind (default: $HOST or 127.0.0.1; 0.0.0.0: every interface)',
  )
  .option('--dev', 'Next.js development mode (hot reload)')
  .action(async (opts: { port?: number; host?: string; dev?: boolean }) => {
    const { startAppServer } = await import('@/server/http/app-server');
    const web = await import('@/server/http/web-cluster');
    const processes = opts.dev ? 1 : getEnv().WEB_CONCURRENCY;
    const app = web.isClusterWorker()
      ? await web.startClusterWorker(opts)
      : processes > 1
        ? await web.startWebCluster(opts, processes)
        : await startAppServer(opts);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        if (!web.isClusterWorker()) console.log(`\n${signal}: shutting down…`);
        void app.stop().then(() => process.exit(0));
      });
    }
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const { getDbHandle, closeDb } = await import('@/server/db/client');
    const { migrate } = await import('@/server/db/migrate');
    const handle = await getDbHandle();
    await migrate(handle);
    await closeDb();
    console.log(`Migrations applied (${handle.driver}).`);
  });

program
  .command('status')
  .description('database and counts, for everyone or one user')
  .option('-u, --user <email>', 'count one user’s data')
  .option('--json', 'print JSON')
  .action(async (opts: { user?: string; json?: boolean }) => {
    print(await runWithDatabase('status', { user: opts.user }), Boolean(opts.json));
  });

addUsersCommands(program, print);

program
  .command('import <files...>')
  .description(
    'import mbox / Google Takeout files (.mbox or .mbox.gz) for a user; several files are read in one pipeline',
  )
  .requiredOption('-u, --user <email>', 'the Rapport user who owns this mail')
  .option(
    '--owner <address...>',
    'the mailbox owner’s addresses (default: the user’s email; sent folders teach more)',
  )
  .option('--json', 'print the summary as JSON')
  .action(async (files: string[], opts: { user: string; owner?: string[]; json?: boolean }) => {
    const { importCommand } = await import('@/server/cli/import-command');
    await importCommand(files, opts);
  });

program
  .command('demo-mbox <file>')
  .description('write a generated, realistic demo mailbox as an mbox file')
  .option('-n, --messages <n>', 'how many messages (100 to 1,000,000)', Number, 2000)
  .option('--people <n>', 'how many correspondents (default: about messages / 13)', Number)
  .option('--seed <n>', 'random seed (same seed, same mailbox)', Number, 42)
  .option('--owner <email>', 'the mailbox owner', 'demo@rapport.local')
  .action(
    async (
      file: string,
      opts: { messages: number; people?: number; seed: number; owner: string },
    ) => {
      if (!(opts.messages >= 1 && opts.messages <= 1_000_000))
        throw new Error('--messages: 1 to 1,000,000');
      const { writeGeneratedMbox } = await import('@/server/demo/write-mbox');
      const result = await writeGeneratedMbox(file, {
        messages: opts.messages,
        people: opts.people,
        seed: opts.seed,
        owner: { email: opts.owner, name: 'Demo User' },
      });
      console.log(`Wrote ${result.messages} messages to ${file}`);
    },
  );

program
  .command('ask <question...>')
  .description('ask the assistant about your network ("Who do I email the most?")')
  .option('-u, --user <email>', 'whose network (default: the only user)')
  .option(
    '-c, --contact <name-or-email>',
    'ask from this contact’s page ("when did we last talk?")',
  )
  .option('--builtin', 'answer with the built-in engine even when a model is configured')
  .option('--tz <zone>', 'your IANA time zone for dates such as "last week"')
  .option('--json', 'print {answer, contacts, value, datetime, intent} as JSON')
  .action(
    async (
      words: string[],
      opts: { user?: string; contact?: string; builtin?: boolean; tz?: string; json?: boolean },
    ) => {
      const a = (await runWithDatabase('assistant.ask', {
        user: opts.user,
        question: words.join(' '),
        contact: opts.contact,
        engine: opts.builtin ? 'builtin' : 'auto',
        timeZone: opts.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      })) as {
        answer: string;
        contacts: { email: string; name: string | null }[];
        value: number | null;
        datetime: string | null;
        intent: string;
        engine: string;
        suggestions: string[];
        notice?: string;
      };
      if (opts.json) {
        console.log(
          JSON.stringify({
            answer: a.answer,
            contacts: a.contacts.map((c) => c.email),
            value: a.value,
            datetime: a.datetime,
            intent: a.intent,
          }),
        );
        return;
      }
      if (a.notice) console.error(a.notice);
      console.log(a.answer);
      for (const s of a.suggestions) console.log(`  • ${s}`);
    },
  );

program
  .command('sync')
  .description('sync your Gmail accounts now (queued on the running server, or run here)')
  .option('-u, --user <email>', 'whose accounts (default: the only user)')
  .option('-a, --account <address-or-id>', 'one Gmail account')
  .option('--json', 'print JSON')
  .action(async (opts: { user?: string; account?: string; json?: boolean }) => {
    const r = (await runWithDatabase('mail.sync', { user: opts.user, account: opts.account })) as {
      queued?: { account: string; jobId: string | null }[];
      synced?: Record<string, unknown>[];
    };
    if (opts.json) return console.log(JSON.stringify(r));
    for (const q of r.queued ?? [])
      console.log(
        `${q.account}: ${q.jobId ? `sync queued (job ${q.jobId})` : 'a sync is already queued'}`,
      );
    for (const s of r.synced ?? [])
      console.log(
        s.error
          ? `${String(s.account)}: failed — ${String(s.error)}`
          : `${String(s.account)}: ${String(s.mode)} sync, ${String(s.stored)} new, ${String(s.deleted)} deleted, ${String(s.relabelled)} relabelled`,
      );
  });

program
  .command('enrich')
  .description('fill contact profiles from signatures and the enrichment providers configured')
  .option('-u, --user <email>', 'whose contacts (default: the only user)')
  .option('-c, --contact <name-or-email>', 'one contact')
  .option('--all', 'every person in your contacts')
  .option('--force', 'ask the providers again even within their cache lifetime')
  .option('--json', 'print JSON')
  .action(
    async (opts: {
      user?: string;
      contact?: string;
      all?: boolean;
      force?: boolean;
      json?: boolean;
    }) => {
      const r = (await runWithDatabase('contacts.enrich', {
        user: opts.user,
        contact: opts.contact,
        all: Boolean(opts.all),
        force: Boolean(opts.force),
      })) as Record<string, unknown> & {
        sources?: { source: string; status: string; error?: string }[];
      };
      if (opts.json) return console.log(JSON.stringify(r));
      if (r.sources) {
        console.log(
          `${String(r.contact)}: ${(r.updated as string[]).length ? `updated ${(r.updated as string[]).join(', ')}` : 'nothing new'}`,
        );
        for (const s of r.sources)
          console.log(`  ${s.source.padEnd(12)} ${s.status}${s.error ? ` — ${s.error}` : ''}`);
      } else {
        console.log(
          `${String(r.contacts)} contacts, ${String(r.enriched)} enriched, ${String(r.failed)} failed (providers: ${(r.providers as string[]).join(', ')})`,
        );
      }
    },
  );

const contactsCmd = program.command('contacts').description('your contacts');
contactsCmd
  .command('top')
  .description('top contacts by emails, recent, strength or going-cold')
  .requiredOption('-u, --user <email>', 'whose contacts')
  .option('--by <metric>', 'emails | recent | strength | going-cold', 'strength')
  .option('-n, --limit <n>', 'how many', Number, 20)
  .option('--company <name>', 'only people at this company')
  .option('--json', 'print JSON')
  .action(
    async (opts: { user: string; by: string; limit: number; company?: string; json?: boolean }) => {
      const rows = (await runWithDatabase('contacts.top', {
        user: opts.user,
        metric: opts.by,
        limit: opts.limit,
        company: opts.company,
      })) as Record<string, unknown>[];
      if (opts.json) return console.log(JSON.stringify(rows));
      if (rows.length === 0) return console.log('No contacts yet.');
      console.table(rows.map((r) => ({ ...r, last: r.last ? String(r.last).slice(0, 10) : '' })));
    },
  );

contactsCmd
  .command('reextract')
  .description('run contact extraction again over all stored mail (after the rules improved)')
  .requiredOption('-u, --user <email>', 'whose contacts')
  .action(async (opts: { user: string }) => {
    const r = (await runWithDatabase('contacts.reextract', { user: opts.user })) as {
      emails: number;
      contacts: number;
      emptied: number;
    };
    console.log(
      `Re-read ${r.emails} emails for ${r.contacts} contacts; ${r.emptied} had fields no message supports any more, now emptied.`,
    );
  });

const backupCmd = program.command('backup').description('one user’s data as JSON Lines');
backupCmd
  .command('export')
  .description('write everything of a user (mail, contacts, edits, stats, events) to a file')
  .requiredOption('-u, --user <email>', 'whose data')
  .option('-o, --out <file>', 'where to write it (default: rapport-backup-<user>-<date>.jsonl)')
  .action(async (opts: { user: string; out?: string }) => {
    const { resolve } = await import('node:path');
    const out = resolve(
      opts.out ??
        `rapport-backup-${opts.user.replace(/[^a-z0-9.@-]+/gi, '_')}-${new Date().toISOString().slice(0, 10)}.jsonl`,
    );
    if (existsSync(out)) throw new Error(`${out} already exists: choose another --out`);
    const r = (await runWithDatabase('backup.export', { user: opts.user, out })) as {
      file: string;
      counts: Record<string, number>;
    };
    const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
    console.log(`${rows} rows written to ${r.file} (${summarise(r.counts)})`);
  });
backupCmd
  .command('restore <file>')
  .description('restore a user from a backup file, all or nothing')
  .option(
    '--replace',
    'the user exists here: delete their current data and restore the file’s (with --user)',
  )
  .option('-u, --user <email>', 'the user the file must hold (required with --replace)')
  .option(
    '--trust-credentials',
    'keep the file’s password hash, Google sign-in links and email verification (a file you made yourself)',
  )
  .action(
    async (
      file: string,
      opts: { replace?: boolean; user?: string; trustCredentials?: boolean },
    ) => {
      const { resolve } = await import('node:path');
      const r = (await runWithDatabase('backup.restore', {
        file: resolve(file),
        replace: opts.replace ?? false,
        user: opts.user,
        trustCredentials: opts.trustCredentials ?? false,
      })) as { user: { email: string }; counts: Record<string, number>; notes: string[] };
      console.log(`Restored ${r.user.email}: ${summarise(r.counts)}`);
      for (const note of r.notes) console.error(note);
    },
  );

function summarise(counts: Record<string, number>) {
  return ['emails', 'contacts', 'interactions', 'events']
    .map((t) => `${counts[t] ?? 0} ${t}`)
    .join(', ');
}

const eventsCmd = program.command('events').description('the event log');
eventsCmd
  .command('export')
  .description('write events as JSON Lines (stdout, or --out FILE)')
  .option('--since <date>', 'only events at or after this date/time (ISO 8601)')
  .option('-u, --user <email>', 'only this user’s events')
  .option('--type <type>', 'only this event type, e.g. contact.created')
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action(async (opts: { since?: string; user?: string; type?: string; out?: string }) => {
    if (opts.since && Number.isNaN(Date.parse(opts.since))) {
      throw new Error(`--since: not a date: ${opts.since}`);
    }
    const out = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
    const runner = await openCommandRunner();
    let afterId = 0;
    let written = 0;
    try {
      for (;;) {
        const page = (await runner.run('events.export', { ...opts, afterId })) as {
          events: unknown[];
          nextAfterId: number | null;
        };
        for (const e of page.events) out.write(JSON.stringify(e) + '\n');
        written += page.events.length;
        if (page.nextAfterId === null) break;
        afterId = page.nextAfterId;
      }
    } finally {
      await runner.close();
    }
    if (opts.out) {
      await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(r));
      console.error(`${written} events written to ${opts.out}`);
    }
  });

program
  .command('worker')
  .description('run background jobs (PostgreSQL; the embedded server runs them in-process)')
  .action(async () => {
    const { runWorker } = await import('@/worker');
    await runWorker();
  });

program.hook('preAction', () => {
  getEnv(); // a bad variable stops every command before it starts, naming the variable
});

program.parseAsync().catch((err: unknown) => {
  console.error(`rapport: ${(err as Error).message}`);
  process.exit(1);
});
