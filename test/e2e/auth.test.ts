import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { mbox, tempFile } from '../fixtures/mbox-builder';

const SHOTS = 'test-results/screenshots';

describe('a new user in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watchForHydrationErrors(page);
  });

  // Pages render on the server with their data: what the browser draws over it must match.
  const hydrationErrors: string[] = [];
  function watchForHydrationErrors(p: Page) {
    p.on('console', (m) => {
      if (m.type() === 'error' && /hydrat|#418|#423|#425/i.test(m.text()))
        hydrationErrors.push(`${p.url()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => {
      if (/hydrat|#418|#423|#425/i.test(e.message))
        hydrationErrors.push(`${p.url()}: ${e.message}`);
    });
  }

  /** A fresh browser context signed in as the demo user, on the dashboard. */
  async function signInDemo() {
    const ctx = await browser.newContext();
    const demo = await ctx.newPage();
    watchForHydrationErrors(demo);
    await demo.goto(`${app.url}/sign-in`);
    await demo.getByLabel('Email').fill('demo@rapport.local');
    await demo.getByLabel('Password').fill('rapport-demo');
    await demo.getByRole('button', { name: 'Sign in' }).click();
    return { ctx, demo };
  }

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('prints the URL and the demo sign-in on an empty database', () => {
    expect(app.output()).toContain(`Rapport is running at ${app.url}`);
    expect(app.output()).toContain('Demo sign-in: demo@rapport.local / rapport-demo');
  });

  it('sends a visitor to the sign-in page', async () => {
    await page.goto(app.url);
    await page.waitForURL('**/sign-in');
    expect(await page.getByRole('heading', { name: 'Sign in to Rapport' }).isVisible()).toBe(true);
    // No Google credentials configured: no Google button.
    expect(await page.getByRole('button', { name: 'Continue with Google' }).count()).toBe(0);
    // The tab shows Rapport's icon (no 404 for a favicon on every page).
    const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
    const res = await page.request.get(new URL(icon!, app.url).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('image/svg+xml');
  });

  it('signs up and lands on the dashboard', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL('**/sign-up');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('analytical-engine');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toBe('ada@example.com');
    await page.getByText('No mail yet').waitFor();
    await page.screenshot({ path: `${SHOTS}/dashboard.png` });
  });

  it('navigates the app shell', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByText('No contacts yet').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Signed in as Ada Lovelace (ada@example.com)').waitFor();
  });

  it('imports an uploaded mbox as a job, with live progress', async () => {
    const file = tempFile(
      'upload.mbox',
      mbox([
        ...Array.from({ length: 30 }, (_, i) => ({
          from: `Person ${i} <person${i}@example.org>`,
          to: 'ada@example.com',
          subject: `Hello ${i}`,
          messageId: `upload-${i}@example.org`,
          date: 'Mon, 5 Jan 2026 10:00:00 +0000',
        })),
        '\u0000\u0001\u0002 binary garbage, not a message\n',
      ]),
    );
    await page.getByLabel(/Mailbox file/).setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    await page
      .getByRole('status')
      .getByText(/Done 30 new, 0 already there, 1 rejected/)
      .waitFor();
    await page
      .getByTestId('recent-jobs')
      .getByRole('listitem')
      .filter({ hasText: 'Mailbox import' })
      .getByText('completed')
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/import-done.png`, fullPage: true });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('stat-Emails').getByText('30').waitFor();
  });

  it('lists the imported mailbox with the message it could not read and why, and removes it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const mailbox = page.getByTestId('imported-mailbox').filter({ hasText: 'ada@example.com' });
    await mailbox.getByText(/30 messages/).waitFor();
    await mailbox.getByRole('button', { name: /1 message could not be read/ }).click();
    await mailbox
      .getByTestId('rejected')
      .getByText(/upload\.mbox#30.*not an email/)
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/imported-mailboxes.png`, fullPage: true });
    await mailbox.getByRole('button', { name: 'Remove' }).click();
    await mailbox.getByText('Remove its 30 messages?').waitFor();
    await mailbox.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByTestId('imported-mailboxes').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByText('No mail yet').waitFor();
  });

  it('signs out and back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto(`${app.url}/contacts`);
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill('analytical-engine');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/signed-in.png` });
  });

  it('signs in as the demo user and sees the demo mailbox', async () => {
    const { ctx, demo } = await signInDemo();
    await demo.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // The demo mailbox is there: counts, strongest relationships, and who is going cold.
    await demo.getByTestId('list-strength').locator('li').first().waitFor();
    expect(Number((await demo.getByTestId('stat-Emails').textContent())?.replace(/,/g, ''))).toBe(
      2000,
    );
    expect(await demo.getByTestId('list-strength').locator('li').count()).toBe(8);
    await demo.screenshot({ path: `${SHOTS}/demo-dashboard.png` });
    await demo.getByTestId('list-strength').locator('a').first().click();
    await demo.getByTestId('strength-explanation').waitFor();
    expect(await demo.getByTestId('strength-explanation').textContent()).toMatch(/\/ 100 · strong/);
    expect(await demo.getByTestId('strength-factors').textContent()).toMatch(
      /Depth.*\d+ emails both ways/,
    );
    await demo.screenshot({ path: `${SHOTS}/demo-contact.png`, fullPage: true });
    // The contact list sorts on the server by the clicked column.
    await demo.goto(`${app.url}/contacts`);
    // Rows are server-rendered: click once the page is hydrated (it marks itself ready), or a
    // loaded machine can take the click before React listens for it.
    await demo.locator('html[data-ready="contacts"]').waitFor({ state: 'attached' });
    await demo.getByRole('button', { name: 'Name' }).click();
    await demo.waitForURL('**/contacts?sort=name');
    await demo.locator('th[aria-sort="ascending"]').waitFor();
    // The new page of rows replaces the old one when the server answers: wait for it.
    await demo.waitForFunction(() => {
      const cells = document.querySelectorAll('tbody tr td:first-child');
      const names = Array.from(cells, (td) => td.textContent ?? '');
      const sorted = names.every(
        (n, i) => i === 0 || names[i - 1]!.localeCompare(n, 'en', { sensitivity: 'base' }) <= 0,
      );
      return names.length === 50 && sorted;
    });
    await demo.screenshot({ path: `${SHOTS}/demo-contacts.png` });
    await ctx.close();
  });

  it('asks the assistant, follows a linked contact, and gets its summary, next actions and a draft', async () => {
    const { ctx, demo } = await signInDemo();
    await demo.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await demo.getByRole('link', { name: 'Ask' }).click();
    await demo
      .getByTestId('suggestions')
      .getByRole('button', { name: 'Who do I email the most?' })
      .click();
    const answer = demo.getByTestId('answer').first();
    await answer.getByText(/comes first with \d+ emails/).waitFor();
    const links = answer.getByRole('list', { name: 'Contacts in this answer' }).getByRole('link');
    expect(await links.count()).toBeGreaterThan(1);
    // A typed question, answered in the same conversation.
    await demo.getByLabel('Question').fill('Who is going cold?');
    await demo.getByRole('button', { name: 'Ask' }).click();
    await demo
      .getByTestId('answer')
      .nth(1)
      .getByText(/Going cold|No one is going cold/)
      .waitFor();
    await demo.screenshot({ path: `${SHOTS}/ask.png`, fullPage: true });

    await links.first().click();
    await demo.getByTestId('relationship-summary').waitFor();
    expect(await demo.getByTestId('relationship-summary').textContent()).toMatch(
      /exchanged \d+ emails/,
    );
    // Their next actions, or word that there is nothing to do (the last word may be ours, sent
    // today).
    await demo
      .getByTestId('next-actions')
      .locator('li')
      .or(demo.getByText('Nothing to do: the conversation is in a good place.'))
      .first()
      .waitFor();
    await demo.getByLabel('Question').fill('When did we last talk?');
    await demo.getByRole('button', { name: 'Ask' }).click();
    await demo
      .getByTestId('contact-assistant')
      .getByTestId('answer')
      .getByText(/Your last email with/)
      .waitFor();
    await demo.getByRole('button', { name: 'Draft', exact: true }).click();
    await demo.getByTestId('draft').waitFor();
    expect(await demo.getByLabel('Draft body').inputValue()).toMatch(/^Hi \w+,/);
    expect(await demo.getByRole('link', { name: 'Open in Gmail' }).getAttribute('href')).toMatch(
      /^https:\/\/mail\.google\.com\/mail\/\?view=cm/,
    );
    await demo.screenshot({ path: `${SHOTS}/contact-assistant.png`, fullPage: true });
    await ctx.close();
  });

  it('edits a contact, keeps the edit through a re-extraction, finds it with Ctrl-K and exports it', async () => {
    const { ctx, demo } = await signInDemo();
    await demo.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await demo.getByTestId('list-strength').locator('a').first().click();
    await demo.waitForURL('**/contacts/*');
    await demo.getByRole('button', { name: 'Edit' }).waitFor();
    const name = (await demo.getByRole('heading', { level: 1 }).textContent())!;
    await demo.getByRole('button', { name: 'Edit' }).click();
    await demo.getByLabel('Title').fill('Chief Rapport Officer');
    await demo.getByLabel('Tags (comma-separated)').fill('investor, vip');
    await demo.getByRole('button', { name: 'Save' }).click();
    await demo.locator('[data-field="title"]', { hasText: 'Chief Rapport Officer' }).waitFor();
    await demo.getByText('edited by you').first().waitFor();
    await demo.getByTestId('timeline').locator('li').first().waitFor();
    await demo.getByTestId('timeline').locator('li button').first().click();
    await demo.getByTestId('timeline').locator('pre').first().waitFor();
    await demo.screenshot({ path: `${SHOTS}/contact-edited.png`, fullPage: true });

    // Re-extraction over all stored mail (what a re-sync does to contacts) keeps the edit.
    const cli = await promisify(execFile)(
      process.execPath,
      [path.resolve('bin/rapport.mjs'), 'contacts', 'reextract', '--user', 'demo@rapport.local'],
      { env: { ...process.env, DATABASE_URL: '', RAPPORT_DATA_DIR: app.dataDir } },
    );
    expect(cli.stdout).toMatch(/Re-read \d+ emails for \d+ contacts; \d+ had fields/);
    await demo.reload();
    await demo.locator('[data-field="title"]', { hasText: 'Chief Rapport Officer' }).waitFor();

    // Ctrl-K reaches the contact from anywhere.
    await demo.goto(`${app.url}/settings`);
    await demo.getByRole('heading', { name: 'Settings' }).waitFor();
    await demo.locator('html[data-palette="ready"]').waitFor({ state: 'attached' });
    await demo.keyboard.press('Control+k');
    await demo.getByRole('combobox', { name: /Search people/ }).fill(name.split(' ')[0]!);
    await demo.getByRole('option', { name: new RegExp(`^${name}`) }).waitFor();
    await demo.keyboard.press('Enter');
    await demo.waitForURL('**/contacts/*');
    expect(await demo.getByRole('heading', { level: 1 }).textContent()).toBe(name);

    const csv = await demo.request.get(`${app.url}/api/export/contacts?format=csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(
      /attachment; filename="rapport-contacts-.*\.csv"/,
    );
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toMatch(/^name,email,/);
    expect(text).toContain('Chief Rapport Officer');
    const vcf = await demo.request.get(`${app.url}/api/export/contacts?format=vcf`);
    expect(await vcf.text()).toContain('TITLE:Chief Rapport Officer');

    // A phone-width, dark view of the same page.
    await demo.setViewportSize({ width: 390, height: 844 });
    await demo.evaluate(() => localStorage.setItem('rapport-theme', 'dark'));
    await demo.reload();
    await demo.getByRole('heading', { level: 1 }).waitFor();
    expect(await demo.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(
      true,
    );
    await demo.screenshot({ path: `${SHOTS}/contact-phone-dark.png`, fullPage: false });
    await ctx.close();
  });

  it('reaches every page and contact action within two clicks of the dashboard, at desktop and phone width', async () => {
    const { ctx, demo } = await signInDemo();
    await demo.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await demo.getByTestId('list-strength').locator('li').first().waitFor();

    // One click: every page from the navigation, and a contact from the dashboard's lists.
    for (const [link, heading] of [
      ['Contacts', 'Contacts'],
      ['Ask', 'Ask'],
      ['Settings', 'Settings'],
      ['Dashboard', 'Dashboard'],
    ] as const) {
      await demo.getByRole('link', { name: link, exact: true }).click();
      await demo.getByRole('heading', { name: heading, level: 1 }).waitFor();
    }
    await demo.getByTestId('list-strength').locator('a').first().click();
    await demo.waitForURL('**/contacts/*');
    const contactUrl = demo.url();
    // Second click: every contact action is on that page.
    for (const name of ['Edit', 'Draft'])
      await demo.getByRole('button', { name, exact: true }).waitFor();
    await demo.getByLabel('Question').waitFor();
    await demo.getByTestId('timeline').locator('li button').first().waitFor();

    // Every page, at both widths, for a look.
    const pages = [
      ['dashboard', `${app.url}/`, 'Dashboard'],
      ['contacts', `${app.url}/contacts`, 'Contacts'],
      ['contact', contactUrl, null],
      ['ask', `${app.url}/ask`, 'Ask'],
      ['settings', `${app.url}/settings`, 'Settings'],
    ] as const;
    for (const [width, label] of [
      [1280, 'desktop'],
      [390, 'phone'],
    ] as const) {
      await demo.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      for (const [name, url, heading] of pages) {
        await demo.goto(url);
        if (heading) await demo.getByRole('heading', { name: heading, level: 1 }).waitFor();
        else await demo.getByTestId('timeline').locator('li').first().waitFor();
        if (name === 'contacts') await demo.locator('tbody tr').first().waitFor();
        if (name === 'dashboard')
          await demo.getByTestId('list-strength').locator('li').first().waitFor();
        // Nothing wider than the viewport: no cut-off text, no sideways scrolling.
        const overflow = await demo.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${name} at ${label} width`).toBeLessThanOrEqual(1);
        await demo.screenshot({ path: `${SHOTS}/page-${name}-${label}.png`, fullPage: true });
      }
    }
    await ctx.close();
  });

  it('moves through the app by keyboard alone', async () => {
    const { ctx, demo } = await signInDemo();
    await demo.getByTestId('list-strength').locator('li').first().waitFor();
    // Keys are heard once the page is hydrated: it marks itself ready then.
    await demo.locator('html[data-ready="dashboard"]').waitFor({ state: 'attached' });
    const focused = () => demo.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    // j walks the dashboard's lists; Enter would open the focused person.
    await demo.keyboard.press('j');
    expect(await focused()).toBe(
      (await demo.getByTestId('list-strength').locator('a').first().textContent())?.trim(),
    );
    // g c: the contacts page; / its search box; j j x Enter: select the second person, open them.
    await demo.keyboard.press('g');
    await demo.keyboard.press('c');
    await demo.waitForURL('**/contacts');
    await demo.locator('tbody tr[data-nav-row]').nth(1).waitFor();
    await demo.keyboard.press('/');
    expect(await demo.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Search contacts',
    );
    await demo.keyboard.press('Tab'); // out of the search box, onto the view's buttons
    await demo.keyboard.press('j');
    await demo.keyboard.press('j');
    const second = (await demo.locator('tbody tr[data-nav-row] a').nth(1).textContent())!.trim();
    expect(await focused()).toBe(second);
    await demo.keyboard.press('x');
    await demo.getByText('1 selected').waitFor();
    await demo.keyboard.press('x');
    await demo.getByText('1 selected').waitFor({ state: 'detached' });
    await demo.keyboard.press('Enter');
    await demo.waitForURL('**/contacts/*');
    await demo.getByRole('heading', { level: 1, name: second }).waitFor();
    // ? lists the shortcuts; Esc closes them; g d goes home.
    await demo.keyboard.press('?');
    const help = demo.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await demo.screenshot({ path: `${SHOTS}/keyboard-shortcuts.png` });
    await demo.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await demo.keyboard.press('g');
    await demo.keyboard.press('d');
    await demo.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await ctx.close();
  });

  it('never shows one user another user’s contact', async () => {
    // The user signed up earlier (Ada) opens the demo user's contact by its address.
    const { ctx, demo } = await signInDemo();
    await demo.getByTestId('list-strength').locator('a').first().click();
    await demo.waitForURL('**/contacts/*');
    const url = demo.url();
    const email = (await demo.locator('[data-field="email"]').textContent())!;
    await ctx.close();
    await page.goto(url);
    await page.getByText('This contact does not exist or is not yours.').waitFor();
    const csv = await (await page.request.get(`${app.url}/api/export/contacts?format=csv`)).text();
    expect(csv).toMatch(/^name,email,/);
    expect(csv).not.toContain(email);
  });

  it('hydrates every page it rendered without a mismatch', () => {
    expect(hydrationErrors).toEqual([]);
  });
});
