import { beforeAll, expect, it } from 'vitest';
import { runCommand } from '@/server/cli/commands';
import { emit } from '@/server/events/emit';
import { createTestAuth, createTestUser } from '../support/test-auth';
import { describeEachDriver } from '../support/test-db';

describeEachDriver('CLI commands', (db) => {
  let email: string;
  beforeAll(async () => {
    const u = await createTestUser(db(), 'exporter');
    email = u.email;
    for (let i = 0; i < 5; i++) {
      await emit(
        db().db,
        { type: 'contact.viewed', payload: { contactId: `c${i}` } },
        { userId: u.id, source: 'test' },
      );
    }
  });

  const run = (name: string, input: unknown) =>
    runCommand({ handle: db(), auth: createTestAuth(db()) }, name, input);

  it('exports a user’s events page by page, oldest first, for JSON Lines', async () => {
    const seen: string[] = [];
    let afterId = 0;
    for (;;) {
      const page = (await run('events.export', {
        user: email,
        type: 'contact.viewed',
        afterId,
        limit: 2,
      })) as {
        events: { payload: { contactId: string } }[];
        nextAfterId: number | null;
      };
      seen.push(...page.events.map((e) => e.payload.contactId));
      if (page.nextAfterId === null) break;
      afterId = page.nextAfterId;
    }
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    const future = (await run('events.export', { user: email, since: '2999-01-01' })) as {
      events: unknown[];
    };
    expect(future.events).toEqual([]);
  });

  it('refuses bad input with a clear message and unknown users as not found', async () => {
    await expect(run('events.export', { user: 'not-an-email' })).rejects.toThrow(/email/i);
    await expect(run('status', { user: 'nobody@example.com' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(run('no.such.command', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      run('users.create', { email: 'short@example.com', password: 'eleven-char', name: 'S' }),
    ).rejects.toThrow(/at least 12 characters/);
    await expect(
      run('users.create', { email, password: 'another-long-password', name: 'Again' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Names every object has are not commands (the server's /api/cli takes the name from a body).
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      await expect(run(name, {}), name).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
