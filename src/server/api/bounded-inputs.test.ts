import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { envSchema } from '@/env';
import { toolInputs } from '@/server/assistant/model/network-tools';
import { cliBodySchema } from '@/server/cli/cli-http-handler';
import { commands } from '@/server/cli/commands';
import { jobDefinitions } from '@/server/jobs/registry';
import { notificationSchema, pushSchema } from '@/server/mail/gmail/push-handler';
import { appRouter } from './root';

type Def = {
  type: string;
  format?: string;
  checks?: { _zod: { def: { check: string; abort?: boolean } } }[];
  [k: string]: unknown;
};
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

/** Formats whose pattern has a fixed length: they fail within a few characters, whatever follows. */
const FIXED_FORMATS = new Set(['uuid', 'guid']);

/** Whether a string schema refuses over-long input before any pattern or refinement reads it. */
function stringBounded(def: Def): { bounded: boolean; why?: string } {
  if (def.format && !FIXED_FORMATS.has(def.format))
    return { bounded: false, why: `${def.format} format checked before any length limit` };
  if (def.format) return { bounded: true };
  let capped = false;
  let aborts = false;
  for (const c of def.checks ?? []) {
    const check = c._zod.def;
    if (check.check === 'max_length' || check.check === 'length_equals') {
      capped = true;
      aborts ||= Boolean(check.abort);
    } else if (check.check === 'string_format' || check.check === 'custom') {
      if (!aborts)
        return { bounded: false, why: `${check.check} runs before an aborting length limit` };
    }
  }
  return capped ? { bounded: true } : { bounded: false, why: 'no length limit' };
}

/** The paths of every string in `schema` that may reach code (or a regex) unbounded. */
function unboundedStrings(schema: unknown, path: string, safe = false): string[] {
  const def = defOf(schema);
  const walk = (s: unknown, p: string, ok = safe) => unboundedStrings(s, p, ok);
  switch (def.type) {
    case 'string': {
      if (safe) return [];
      const r = stringBounded(def);
      return r.bounded ? [] : [`${path}: ${r.why}`];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([k, v]) =>
        walk(v, `${path}.${k}`),
      );
    case 'array':
      return walk(def.element, `${path}[]`);
    case 'record':
      return [...walk(def.keyType, `${path}{key}`), ...walk(def.valueType, `${path}{value}`)];
    case 'union':
      return (def.options as unknown[]).flatMap((o, i) => walk(o, `${path}|${i}`));
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)];
    case 'pipe': {
      const inner = defOf(def.in);
      // What a bounded string turns into is bounded too (a format checked after its limit).
      const bounded = safe || (inner.type === 'string' && stringBounded(inner).bounded);
      return [...walk(def.in, path), ...walk(def.out, path, bounded)];
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return walk(def.innerType, path);
    default:
      return [];
  }
}

describe('every string an outsider can send is bounded before any pattern reads it', () => {
  it('holds for every tRPC procedure input', () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: unknown[] } }
    >;
    expect(Object.keys(procedures).length).toBeGreaterThan(20);
    const found = Object.entries(procedures).flatMap(([name, p]) =>
      p._def.inputs.flatMap((input) => unboundedStrings(input, name)),
    );
    expect(found).toEqual([]);
  });

  it('holds for the route handlers’ bodies, the CLI commands and the model’s tool calls', () => {
    const found = [
      ...unboundedStrings(cliBodySchema, 'cli'),
      ...unboundedStrings(pushSchema, 'gmail push'),
      ...unboundedStrings(notificationSchema, 'gmail push data'),
      ...Object.entries(commands).flatMap(([name, c]) => unboundedStrings(c.input, `cli ${name}`)),
      ...Object.entries(toolInputs).flatMap(([name, s]) => unboundedStrings(s, `tool ${name}`)),
    ];
    expect(found).toEqual([]);
  });

  it('holds for job payloads and the environment', () => {
    const found = [
      ...jobDefinitions.flatMap((j) => unboundedStrings(j.payload as z.ZodType, j.id)),
      ...unboundedStrings(envSchema, 'env'),
    ];
    expect(found).toEqual([]);
  });
});
