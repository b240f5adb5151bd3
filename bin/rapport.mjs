#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so source and CLI never drift apart.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('../src/cli.ts');
