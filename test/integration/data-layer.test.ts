import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '@/server/db/client';
import { contacts, emails, user } from '@/server/db/schema';
import { describeEachDriver } from '../support/test-db';
import { createTestUser } from '../support/test-auth';

describeEachDriver('data layer', (db) => {
  it('keeps contacts unique per user and address, whatever the case', async () => {
    const [a, b] = [await createTestUser(db()), await createTestUser(db())];
    await db().db.insert(contacts).values({ userId: a.id, email: 'Dana@Acme.com' });
    // Another user may know the same person.
    await db().db.insert(contacts).values({ userId: b.id, email: 'dana@acme.com' });
    await expect(
      db().db.insert(contacts).values({ userId: a.id, email: 'dana@ACME.com' }),
    ).rejects.toThrow();
  });

  it('keeps emails unique per user, source and provider id', async () => {
    const u = await createTestUser(db());
    const row = {
      userId: u.id,
      source: 'mbox' as const,
      providerMessageId: '<m1@x>',
      direction: 'inbound' as const,
    };
    await db().db.insert(emails).values(row);
    const again = await db()
      .db.insert(emails)
      .values(row)
      .onConflictDoNothing()
      .returning({ id: emails.id });
    expect(again).toHaveLength(0);
    await db()
      .db.insert(emails)
      .values({ ...row, source: 'gmail' });
  });

  it('searches mail bodies and subjects with the generated tsvector', async () => {
    const u = await createTestUser(db());
    await db()
      .db.insert(emails)
      .values([
        {
          userId: u.id,
          source: 'mbox',
          providerMessageId: 'a',
          direction: 'inbound',
          subject: 'Quarterly pipeline review',
          bodyText: 'Notes on the gas contracts',
        },
        {
          userId: u.id,
          source: 'mbox',
          providerMessageId: 'b',
          direction: 'inbound',
          subject: 'Lunch',
          bodyText: 'Tacos on Friday?',
        },
      ]);
    const hits = await db()
      .db.select({ subject: emails.subject })
      .from(emails)
      .where(
        sql`${emails.userId} = ${u.id} AND ${emails.search} @@ websearch_to_tsquery('english', 'contract')`,
      );
    expect(hits).toEqual([{ subject: 'Quarterly pipeline review' }]);
  });

  it('removes all of a user’s data with the user', async () => {
    const u = await createTestUser(db());
    await db().db.insert(contacts).values({ userId: u.id, email: 'x@y.z' });
    await db().db.delete(user).where(eq(user.id, u.id));
    const left = rowsOf<{ n: number }>(
      await db().db.execute(sql`SELECT count(*)::int AS n FROM contacts WHERE user_id = ${u.id}`),
    );
    expect(left[0]!.n).toBe(0);
  });

  it('marks user-edited fields on update', async () => {
    const { updateContact } = await import('@/server/contacts/contact-queries');
    const u = await createTestUser(db());
    const [c] = await db().db.insert(contacts).values({ userId: u.id, email: 'e@f.g' }).returning();
    await updateContact(db().db, u.id, c!.id, { title: 'CTO' });
    const row = await updateContact(db().db, u.id, c!.id, { title: 'CEO', tags: ['vip'] });
    expect(row.title).toBe('CEO');
    expect([...row.userEditedFields].sort()).toEqual(['tags', 'title']);
  });
});
