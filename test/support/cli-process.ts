import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Runs the real CLI (`bin/rapport.mjs`) in a child process against an embedded data dir, with
 * `input` on its stdin (closed at once when there is none).
 */
export function runCli(
  args: string[],
  dataDir: string,
  env: Record<string, string> = {},
  input = '',
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/rapport.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', RAPPORT_DATA_DIR: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
