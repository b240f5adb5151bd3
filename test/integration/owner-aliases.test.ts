import { expect, it } from 'vitest';
import { createCaller } from '@/server/api/root';
import { importMbox } from '@/server/mail/import-mbox';
import { mbox, tempFile, type Spec } from '../fixtures/mbox-builder';
import { createTestUser } from '../support/test-auth';
import { testContext } from '../support/test-context';
import { describeEachDriver } from '../support/test-db';

const OWNER = 'pat.quinn@acme.test';
const ME = `Pat Quinn <${OWNER}>`;
const day = (d: number) => new Date(Date.UTC(2025, 3, d, 10)).toUTCString();
let n = 0;
const m = (s: Spec): Spec => ({ messageId: `alias${++n}@fixture`, ...s });

describeEachDriver('the owner’s own addresses', (db) => {
  it('recognises the owner’s other addresses in their mail and never lists them as people', async () => {
    const user = await createTestUser(db());
    const mail: Spec[] = [
      // Mail reached the owner through an old address of theirs.
      m({ from: 'Val Vendor <val@vendor.example>', to: 'pquinn@acme-old.test', date: day(1) }),
      m({ from: 'Val Vendor <val@vendor.example>', to: 'pquinn@acme-old.test', date: day(2) }),
      // The owner moves mail to a personal mailbox.
      m({ from: ME, to: 'patq77@home.example', subject: 'Fw: tickets', date: day(3) }),
      m({ from: ME, to: 'patq77@home.example', subject: '', date: day(4) }),
      // Another address under the owner's name.
      m({ from: ME, to: 'Pat Quinn <p.quinn@partner.example>', subject: 'note', date: day(5) }),
      // A namesake colleague: the same initial and surname, but their own person.
      m({
        from: 'Paul Quinn <pquinn@acme.test>',
        to: `${OWNER}, ann@acme.test`,
        subject: 'Budget',
        date: day(6),
      }),
      m({ from: ME, to: 'Paul Quinn <pquinn@acme.test>', subject: 'Re: Budget', date: day(7) }),
      m({ from: ME, to: 'Paul Quinn <pquinn@acme.test>', subject: 'Offsite', date: day(8) }),
    ];
    const summary = await importMbox({
      db: db().db,
      userId: user.id,
      file: tempFile('aliases.mbox', mbox(mail)),
      owners: [OWNER],
    });
    expect(summary.aliasesLearned.sort()).toEqual([
      'p.quinn@partner.example',
      'patq77@home.example',
      'pquinn@acme-old.test',
    ]);
    const contacts = await db().query<{ email: string }>(
      `SELECT email FROM contacts WHERE user_id = $1 ORDER BY email`,
      [user.id],
    );
    expect(contacts.map((c) => c.email)).toEqual([
      'ann@acme.test',
      'pquinn@acme.test',
      'val@vendor.example',
    ]);
    // Mail to an alias of the owner's is mail to the owner: Val is a person of the network.
    const api = createCaller(testContext({ db: db().db, user }));
    const people = await api.contacts.list({});
    expect(people.rows.map((r) => r.email).sort()).toEqual([
      'pquinn@acme.test',
      'val@vendor.example',
    ]);
    const [account] = await db().query<{ aliases: string[] }>(
      `SELECT aliases FROM mail_accounts WHERE user_id = $1`,
      [user.id],
    );
    expect(account!.aliases).toEqual(expect.arrayContaining(summary.aliasesLearned));
  });
});
