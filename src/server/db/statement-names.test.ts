import { describe, expect, it } from 'vitest';
import { StatementNames } from './statement-names';

describe('StatementNames', () => {
  it('names a parameterised query the second time it is seen, the same name ever after', () => {
    const names = new StatementNames();
    expect(names.nameFor('SELECT $1', 1)).toBeUndefined();
    const name = names.nameFor('SELECT $1', 1);
    expect(name).toMatch(/^r[\w-]{27}$/);
    expect(names.nameFor('SELECT $1', 1)).toBe(name);
    names.nameFor('SELECT $1 + 1', 1);
    expect(names.nameFor('SELECT $1 + 1', 1)).not.toBe(name);
  });

  it('leaves unparameterised queries and bulk writes unnamed', () => {
    const names = new StatementNames(10, 3);
    for (let i = 0; i < 3; i++) {
      expect(names.nameFor('BEGIN', 0)).toBeUndefined();
      expect(names.nameFor('INSERT INTO t VALUES ($1), ($2), ($3), ($4)', 4)).toBeUndefined();
    }
  });

  it('remembers a bounded number of texts: past the limit new ones stay unnamed', () => {
    const names = new StatementNames(2);
    for (const t of ['a $1', 'b $1', 'c $1']) names.nameFor(t, 1);
    expect(names.nameFor('a $1', 1)).toBeDefined();
    expect(names.nameFor('b $1', 1)).toBeDefined();
    expect(names.nameFor('c $1', 1)).toBeUndefined();
    expect(names.nameFor('c $1', 1)).toBeUndefined();
  });
});
