import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { openCommandRunner, type CommandRunner } from './run-with-database';
import { getEnv } from '@/env';
import { readLock } from '@/server/db/data-dir-lock';

export type ImportCommandOptions = { user: string; owner?: string[]; json?: boolean };

type Counts = { read?: number; stored: number; duplicates: number; failed: number };

function bar(total: number) {
  const b = new SingleBar(
    {
      format:
        'Importing |{bar}| {percentage}% | {messages} msgs | {mb}/{totalMb} MB | {rate} msg/s | ETA {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 20,
    },
    undefined,
  );
  const mb = (n: number) => (n / 1e6).toFixed(1);
  b.start(total, 0, { messages: 0, mb: '0.0', totalMb: mb(total), rate: 0 });
  const started = Date.now();
  return {
    update(bytes: number, messages: number) {
      const rate = Math.round(messages / Math.max(0.001, (Date.now() - started) / 1000));
      b.update(Math.min(bytes, total), { messages, mb: mb(bytes), totalMb: mb(total), rate });
    },
    stop: () => b.stop(),
  };
}

function report(summary: Counts & Record<string, unknown>, json: boolean) {
  if (json) return console.log(JSON.stringify(summary));
  console.log(
    `Imported ${summary.stored} new messages (${summary.duplicates} already there, ${summary.failed} rejected` +
      (summary.failed ? ', each with its reason in Settings → Import mail' : '') +
      ').',
  );
}

async function viaServer(runner: CommandRunner, file: string, opts: ImportCommandOptions) {
  const { jobId, afterEventId } = (await runner.run('mail.import', {
    user: opts.user,
    file,
    owners: opts.owner ?? [],
  })) as { jobId: string; afterEventId: number };
  console.error(`The running server is importing ${file} (job ${jobId}).`);
  const progress = bar(fs.statSync(file).size);
  for (;;) {
    const s = (await runner.run('mail.import-status', { jobId, afterEventId })) as {
      state: string;
      output: (Counts & Record<string, unknown>) | null;
      progress: { read?: number; stored: number; duplicates: number } | null;
    };
    if (s.progress)
      progress.update(s.progress.read ?? 0, s.progress.stored + s.progress.duplicates);
    if (s.state === 'completed') {
      progress.stop();
      return report(s.output!, Boolean(opts.json));
    }
    if (s.state === 'failed' || s.state === 'cancelled') {
      progress.stop();
      throw new Error(`import ${s.state}: ${JSON.stringify(s.output)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * `rapport import <file…> --user <email> [--owner <address>…]`, with a progress bar. Several
 * files go through one pipeline (the next is parsed while the last batch of one is stored).
 */
export async function importCommand(fileArgs: string[], opts: ImportCommandOptions) {
  const files = fileArgs.map((f) => path.resolve(f));
  for (const file of files) if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  const env = getEnv();
  const runner = await openCommandRunner();
  try {
    const holder = env.DATABASE_URL ? null : readLock(env.RAPPORT_DATA_DIR);
    if (holder && holder.pid !== process.pid) {
      for (const file of files) await viaServer(runner, file, opts);
      return;
    }
    const { importMboxes } = await import('@/server/mail/import-mbox');
    const { getDb } = await import('@/server/db/client');
    const { findUserIdByEmail } = await import('@/server/auth/users');
    const db = await getDb();
    const userId = await findUserIdByEmail(db, opts.user);
    const totalBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const progress = bar(totalBytes);
    let read = 0;
    const summaries = await importMboxes({
      db,
      userId,
      sources: files.map((file) => ({ file, owners: opts.owner })),
      onProgress: (p) => progress.update(p.bytesRead, (read = p.read)),
    });
    progress.update(totalBytes, read);
    progress.stop();
    if (summaries.length === 1) return report(summaries[0]!, Boolean(opts.json));
    const files_ = summaries.map((s, i) => ({ file: files[i]!, ...s }));
    const sum = (k: keyof Counts) => summaries.reduce((n, s) => n + (s[k] ?? 0), 0);
    const total = {
      read: sum('read'),
      stored: sum('stored'),
      duplicates: sum('duplicates'),
      failed: sum('failed'),
    };
    if (opts.json) return console.log(JSON.stringify({ ...total, files: files_ }));
    for (const f of files_) {
      process.stdout.write(`${path.basename(f.file)}: `);
      report(f, false);
    }
    report(total, false);
  } finally {
    await runner.close();
  }
}
