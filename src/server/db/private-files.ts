import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded data directory holds every user's mail and password hash: it is its owner's
 * alone (0700), whatever the umask. PGlite (Emscripten's file system) creates its files
 * `rw-rw-rw-` regardless of the umask, so the directory's mode is what keeps them private;
 * `restrictTree` also sets the files themselves to 0600 when the database opens and closes.
 */
export function makePrivateDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmod(dir, 0o700);
}

/** Files 0600 and directories 0700 under `dir` (links are left alone). */
export function restrictTree(dir: string) {
  const walk = (p: string) => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if (st.mode & 0o077) chmod(p, 0o700);
      for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
    } else if (st.mode & 0o077) chmod(p, 0o600);
  };
  walk(dir);
}

/** A directory someone else owns (EPERM) keeps its mode: opening the database must not fail on it. */
function chmod(p: string, mode: number) {
  try {
    fs.chmodSync(p, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOENT') throw err;
  }
}
