import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from './private-files';

/**
 * PGlite is single-process: a second process opening the same data directory silently loses
 * writes. Whoever opens it first writes `rapport.lock` naming itself; everyone else is refused,
 * and a CLI finds the running server (its URL and a local token) through the same file.
 */
export type LockInfo = {
  pid: number;
  command: string;
  startedAt: string;
  /** Set by a serving process: where CLI commands can reach it instead of opening the data dir. */
  url?: string;
  /** Where a CLI on this machine sends commands (a loopback address; unset: none). */
  cliUrl?: string;
  token?: string;
};

export class DataDirLockedError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly holder: LockInfo,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${holder.pid} ` +
        `(${holder.command}, since ${holder.startedAt})` +
        (holder.url ? `, serving ${holder.url}` : '') +
        '. PGlite allows one process at a time: stop that process first' +
        (holder.cliUrl ? ', or run CLI commands while it serves (they go through its API).' : '.') +
        ' To share one database between processes, set DATABASE_URL to a PostgreSQL server.',
    );
    this.name = 'DataDirLockedError';
  }
}

export function lockPath(dataDir: string) {
  return path.join(dataDir, 'rapport.lock');
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the lock, or null when the lock is absent or stale. */
export function readLock(dataDir: string): LockInfo | null {
  let raw: string;
  try {
    raw = fs.readFileSync(lockPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const info = JSON.parse(raw) as LockInfo;
    return typeof info.pid === 'number' && isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

const held = new Set<string>();

export function acquireLock(dataDir: string, command = process.argv.slice(1).join(' ')) {
  const file = lockPath(dataDir);
  if (held.has(file)) return;
  makePrivateDir(dataDir);
  const info: LockInfo = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      held.add(file);
      process.once('exit', () => releaseLock(dataDir));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dataDir);
      if (holder && holder.pid !== process.pid) throw new DataDirLockedError(dataDir, holder);
      // Stale (its process is gone) or our own from a previous life: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

/** Adds the serving URL and CLI token once the server listens. */
export function updateLock(dataDir: string, patch: Partial<LockInfo>) {
  const file = lockPath(dataDir);
  if (!held.has(file)) return;
  const info = { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo), ...patch };
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
}

export function releaseLock(dataDir: string) {
  const file = lockPath(dataDir);
  if (!held.delete(file)) return;
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    if (info.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}
