import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Names for the queries a process runs again and again, so that PostgreSQL parses and plans
 * each once per connection instead of at every call: the contact page's nine queries spent as
 * long being planned as being run. A query text gets its name the second time it is seen
 * (one-off queries stay unnamed), only when it has parameters (a named statement is a single
 * statement; unparameterised ones are cheap to plan) and not too many of them (a bulk write's
 * text changes with its row count). The texts remembered are bounded, and so are the
 * statements each connection keeps.
 */
export class StatementNames {
  private readonly names = new Map<string, string | null>();

  constructor(
    private readonly limit = 2000,
    private readonly maxParams = 100,
  ) {}

  nameFor(text: string, paramCount: number): string | undefined {
    if (paramCount === 0 || paramCount > this.maxParams) return undefined;
    const known = this.names.get(text);
    if (known) return known;
    if (known === null) {
      const name = `r${createHash('sha1').update(text).digest('base64url')}`;
      this.names.set(text, name);
      return name;
    }
    if (this.names.size < this.limit) this.names.set(text, null);
    return undefined;
  }
}

type QueryConfig = { text: string; name?: string; values?: unknown[] };

/**
 * Makes a client name its repeated parameterised queries (a pool's `connect` event calls this
 * for each new connection). Values in the config or passed separately as `query(text, values)`
 * are handled alike; a named query, a cursor or stream (`submit`) and
 * everything else go through unchanged.
 */
export function nameRepeatedStatements(client: pg.PoolClient, names: StatementNames) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (first: unknown, ...rest: unknown[]) => {
    const values = Array.isArray(rest[0]) ? (rest[0] as unknown[]) : undefined;
    if (typeof first === 'string' && values) {
      const name = names.nameFor(first, values.length);
      if (name) return query({ text: first, name }, ...rest);
    } else if (first && typeof first === 'object' && 'text' in first && !('submit' in first)) {
      const config = first as QueryConfig;
      const count = values?.length ?? config.values?.length ?? 0;
      const name = config.name ? undefined : names.nameFor(config.text, count);
      if (name) return query({ ...config, name }, ...rest);
    }
    return query(first, ...rest);
  };
}
