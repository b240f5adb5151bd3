import { getEnv } from '@/env';
import { getAuth } from '@/server/auth/auth';
import { closeDb, getDbHandle } from '@/server/db/client';
import { DataDirLockedError, readLock, type LockInfo } from '@/server/db/data-dir-lock';
import { migrate } from '@/server/db/migrate';
import { runCommand, type CommandName } from './commands';

export class RemoteCommandError extends Error {}

async function callServer(holder: LockInfo, command: string, input: unknown) {
  let res: Response;
  try {
    res = await fetch(new URL('/api/cli', holder.cliUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${holder.token}` },
      body: JSON.stringify({ command, input }),
    });
  } catch (err) {
    throw new RemoteCommandError(
      `The Rapport server (pid ${holder.pid}) holds the database but did not answer at ${holder.cliUrl}: ${(err as Error).message}`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: string };
  if (!res.ok) throw new RemoteCommandError(body.error ?? `Server answered ${res.status}`);
  return body.result;
}

export type CommandRunner = {
  run(command: CommandName, input: unknown): Promise<unknown>;
  close(): Promise<void>;
};

/**
 * Runs database commands in this process, or, when the embedded server already holds the
 * data directory, through that server's API: the CLI never opens the data dir behind its back.
 */
export async function openCommandRunner(): Promise<CommandRunner> {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    const holder = readLock(env.RAPPORT_DATA_DIR);
    if (holder && holder.pid !== process.pid) {
      // A server bound to one outside address only takes no CLI commands (loopback only).
      if (!holder.cliUrl || !holder.token)
        throw new DataDirLockedError(env.RAPPORT_DATA_DIR, holder);
      return { run: (command, input) => callServer(holder, command, input), close: async () => {} };
    }
  }
  const handle = await getDbHandle();
  try {
    await migrate(handle);
  } catch (err) {
    await closeDb();
    throw err;
  }
  const auth = await getAuth();
  return { run: (command, input) => runCommand({ handle, auth }, command, input), close: closeDb };
}

export async function runWithDatabase(command: CommandName, input: unknown) {
  const runner = await openCommandRunner();
  try {
    return await runner.run(command, input);
  } finally {
    await runner.close();
  }
}
