import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, DataDirLockedError, lockPath, readLock, releaseLock } from './data-dir-lock';

const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    releaseLock(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('data dir lock', () => {
  it('names the live holder when another process has the directory', () => {
    const dir = tempDir();
    // The parent process is alive and is not us: it stands in for another Rapport process.
    const holder = {
      pid: process.ppid,
      command: 'rapport serve',
      startedAt: 'earlier',
      url: 'http://localhost:3000',
    };
    fs.writeFileSync(lockPath(dir), JSON.stringify(holder));
    expect(() => acquireLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireLock(dir)).toThrow(`in use by process ${process.ppid} (rapport serve`);
    expect(readLock(dir)).toMatchObject({ pid: process.ppid });
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = tempDir();
    fs.writeFileSync(
      lockPath(dir),
      JSON.stringify({ pid: 2 ** 22 + 7, command: 'x', startedAt: 'y' }),
    );
    expect(readLock(dir)).toBeNull();
    acquireLock(dir, 'test');
    expect(readLock(dir)).toMatchObject({ pid: process.pid, command: 'test' });
  });

  it('removes its own lock on release', () => {
    const dir = tempDir();
    acquireLock(dir, 'test');
    expect(fs.existsSync(lockPath(dir))).toBe(true);
    releaseLock(dir);
    expect(fs.existsSync(lockPath(dir))).toBe(false);
  });
});
