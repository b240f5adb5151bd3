import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../fixtures/mbox-builder';
import { startFakeEnrichment, type FakeEnrichment } from '../fakes/enrichment-server';
import { startFakeGmail, type FakeGmail } from '../fakes/gmail-server';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { openDb } from '@/server/db/client';

const SHOTS = 'test-results/screenshots';
const ME = 'pat@gmail.test';

describe('Gmail in a real browser, against the fake Google', () => {
  let fake: FakeGmail;
  let enrichment: FakeEnrichment;
  let app: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeGmail();
    enrichment = await startFakeEnrichment();
    enrichment.people.set('quinn@northwind.test', {
      email: 'quinn@northwind.test',
      name: 'Quinn Ross',
      github: 'qross',
      x: { handle: 'qross', posts: ['Northwind pilot goes live next week.'] },
    });
    fake.addMessages(
      ME,
      Array.from({ length: 30 }, (_, i) => ({
        raw: message({
          from: i % 2 ? ME : `Quinn Ross <quinn@northwind.test>`,
          to: i % 2 ? 'Quinn Ross <quinn@northwind.test>' : ME,
          subject: `Pilot plan ${i}`,
          date: new Date(Date.now() - (40 - i) * 86_400_000).toUTCString(),
          messageId: `e2e${i}@gmail.test`,
          body: `Update ${i} on the pilot.\n\nQuinn Ross\nHead of Partnerships, Northwind`,
        }),
        labelIds: i % 2 ? ['SENT'] : ['INBOX'],
      })),
    );
    app = await startApp({
      RAPPORT_DEMO: '0',
      // A second person signs up after the Google user: past the first, that takes an open server.
      RAPPORT_SIGNUP: 'open',
      ...fake.googleEnv,
      GMAIL_EXCLUDE_CATEGORIES: '',
      GITHUB_TOKEN: 'e2e-github-token',
      GITHUB_API_URL: enrichment.url,
      X_BEARER_TOKEN: 'e2e-x-token',
      X_API_URL: enrichment.url,
      // The most the app ever logs: no secret may be in it even then.
      LOG_LEVEL: 'debug',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
    await enrichment?.close();
  });

  it('signs in with Google, syncs the mailbox, and syncs again on demand', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    fake.nextConsent(ME, { name: 'Pat Lee' });
    await page.goto(`${app.url}/sign-in`);
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.getByRole('link', { name: 'Settings' }).click();
    const accounts = page.getByTestId('mail-accounts');
    await accounts.getByText(ME).waitFor();
    await accounts.getByText('30 messages').waitFor({ timeout: 30_000 });
    await accounts.getByText('Up to date').waitFor();
    await page.screenshot({ path: `${SHOTS}/gmail-settings.png`, fullPage: true });

    fake.addMessages(ME, [
      {
        raw: message({
          from: 'Quinn Ross <quinn@northwind.test>',
          to: ME,
          subject: 'Signed!',
          date: new Date().toUTCString(),
          messageId: 'e2e-new@gmail.test',
        }),
      },
    ]);
    await accounts.getByRole('button', { name: 'Sync now' }).click();
    await accounts.getByText('31 messages').waitFor({ timeout: 30_000 });

    // The mail is in the CRM: the person, their signature, the relationship.
    await page.goto(`${app.url}/contacts`);
    await page.getByRole('link', { name: 'Quinn Ross' }).first().click();
    await page.getByText('Head of Partnerships').first().waitFor();
    expect(await page.getByTestId('strength-factors').textContent()).toMatch(/\d+ emails/);
    // Enrichment: GitHub knows the X handle, X has the posts; both shown on the page.
    await page.getByTestId('enrichment').getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('x-posts').getByText('Northwind pilot goes live next week.').waitFor();
    await page.screenshot({ path: `${SHOTS}/contact-enriched.png`, fullPage: true });
    await page.close();
  });

  it('keeps every secret out of its logs, and OAuth tokens and passwords out of its database', async () => {
    // A password account beside the Google one, signed up over HTTP.
    const password = `pw-${crypto.randomBytes(12).toString('hex')}`;
    const auth = (kind: string) =>
      fetch(`${app.url}/api/auth/${kind}/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url },
        body: JSON.stringify({ email: 'sam@example.test', password, name: 'Sam Vale' }),
      });
    expect((await auth('sign-up')).status).toBe(200);
    const signIn = await auth('sign-in');
    expect(signIn.status).toBe(200);
    const sessionCookies = signIn.headers
      .getSetCookie()
      .map((c) => decodeURIComponent(c.split(';')[0]!.split('=').slice(1).join('=')))
      .filter((v) => v.length >= 16);
    expect(sessionCookies.length).toBeGreaterThan(0);

    const oauthTokens = fake.issuedTokens();
    // The sign-in's access and refresh tokens, and the refreshed ones of the syncs.
    expect(oauthTokens.length).toBeGreaterThanOrEqual(2);
    const secrets: Record<string, string> = {
      'Google client secret': fake.clientSecret,
      'auth secret': fs.readFileSync(path.join(app.dataDir, 'auth-secret'), 'utf8').trim(),
      password,
      'GitHub token': 'e2e-github-token',
      'X token': 'e2e-x-token',
      ...Object.fromEntries(oauthTokens.map((t, i) => [`OAuth token ${i}`, t])),
      ...Object.fromEntries(sessionCookies.map((c, i) => [`session cookie ${i}`, c])),
      ...Object.fromEntries(sessionCookies.map((c, i) => [`session token ${i}`, c.split('.')[0]!])),
    };

    await app.stop({ keepData: true });
    const logs = app.output();
    expect(logs).toMatch(/Rapport is running at/);
    for (const [name, value] of Object.entries(secrets))
      expect(logs.includes(value), `${name} in the logs`).toBe(false);

    // The database, dumped: every row of every table of every schema, as text.
    const handle = await openDb({ driver: 'pglite', dataDir: app.dataDir });
    let dump = '';
    try {
      const tables = await handle.query<{ s: string; t: string }>(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      for (const { s, t } of tables) {
        const rows = await handle.query<{ row: string }>(
          `SELECT x::text AS row FROM "${s}"."${t}" x`,
        );
        dump += rows.map((r) => r.row).join('\n');
      }
    } finally {
      await handle.close();
    }
    // It is a real dump: the mail, the Google account and its (encrypted) tokens are in it.
    expect(dump).toContain('Pilot plan 7');
    expect(dump).toContain('sam@example.test');
    expect(dump).toMatch(/google/);
    const stored = [password, fake.clientSecret, ...oauthTokens];
    for (const value of stored) expect(dump.includes(value), 'a secret in the dump').toBe(false);
    // Nor anywhere in the database's files (the auth secret's own file aside).
    const files = fs
      .readdirSync(app.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name !== 'auth-secret');
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(f.parentPath, f.name));
      for (const value of stored)
        expect(bytes.includes(value), `a secret in ${f.name}`).toBe(false);
    }
  });
});
