#!/usr/bin/env node
// `npm start`: build the web app when the sources are newer than the last build, then
// `rapport serve` (which migrates, loads the demo on an empty database and prints the URL).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = '1';

function newestMtime(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p))
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

const buildId = path.join(root, '.next', 'BUILD_ID');
const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const inputs = [
  'src',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const sources = Math.max(...inputs.map((p) => newestMtime(path.join(root, p))));

if (built < sources) {
  console.log(
    built
      ? 'Sources changed since the last build: rebuilding…'
      : 'First start: building the web app…',
  );
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'build'],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.NODE_ENV ??= 'production';
process.argv = [process.argv[0], 'rapport', 'serve', ...process.argv.slice(2)];
await import('../bin/rapport.mjs');
