import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIRCLE_OWNER, circleMailbox } from '../fixtures/circle-mailbox';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';

const SHOTS = 'test-results/screenshots';

/**
 * Who counts, in a real browser: a user imports a generated mailbox (circle-mailbox.ts) through
 * Settings, and the dashboard, the contacts list, the duplicate queue and a contact page show
 * the people they corresponded with, what they owe whom, and one person under two addresses.
 */
describe('the owner’s network in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    app = await startApp({ RAPPORT_DEMO: '0' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/sign-up`);
    await page.getByLabel('Name').fill('Pat Owner');
    await page.getByLabel('Email').fill(CIRCLE_OWNER);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page
      .getByLabel(/Mailbox file/)
      .setInputFiles(tempFile('circle.mbox', mbox(circleMailbox())));
    await page.getByRole('button', { name: 'Import' }).click();
    await page
      .getByRole('status')
      .getByText(/Done \d+ new/)
      .waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('counts the people corresponded with, and keeps robots out of every dashboard list', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('stat-People').getByText('10').waitFor();
    expect(await page.getByTestId('stat-People-note').textContent()).toMatch(
      /and \d+ seen on others’ mail/,
    );
    const strongest = page.getByTestId('list-strength');
    await strongest.waitFor();
    const recent = page.getByTestId('list-recent');
    for (const list of [strongest, recent])
      expect(await list.textContent()).not.toMatch(/Digest|Lou List|Cora Copy/);
    // Only the direct question is owed a reply.
    const owed = page.getByTestId('list-replies-owed');
    await owed.getByText('Ann Asks').waitFor();
    expect(await owed.getByRole('listitem').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/network-dashboard.png`, fullPage: true });
  });

  it('lists people by default, the merely seen a filter away, and finds them by search', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    const table = page.locator('table');
    await table.getByText('Ann Asks').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(10);
    await page.getByRole('radio', { name: 'Seen on others’ mail' }).click();
    await page.waitForURL('**/contacts?show=seen');
    await table.getByText('Cora Copy').waitFor();
    expect(await table.getByText('Ann Asks').count()).toBe(0);
    await page.getByRole('radio', { name: 'People' }).click();
    await table.getByText('Ann Asks').waitFor();
    await page.getByLabel('Search contacts').fill('cora');
    // Found from the people's view, and marked as only seen.
    await table.locator('tbody tr').filter({ hasText: 'Cora Copy' }).getByText('seen').waitFor();
    await page.getByLabel('Search contacts').fill('');
  });

  it('suggests one person under two addresses with the reason, merges, shows every address and undoes', async () => {
    await page.getByRole('button', { name: '1 possible duplicate' }).click();
    const queue = page.getByRole('region', { name: 'Possible duplicates' });
    const suggestion = queue.getByTestId('duplicate').filter({ hasText: 'kpark@partner.example' });
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('The same name, both at partner.example');
    await page.screenshot({ path: `${SHOTS}/network-duplicates.png`, fullPage: true });
    await suggestion.getByRole('button', { name: 'Merge' }).click();
    const merged = queue.getByLabel('Recent merges');
    await merged.getByText(/into Kim Park/).waitFor();
    await merged.getByRole('link', { name: 'Kim Park' }).click();
    const addresses = page.getByTestId('addresses');
    await addresses.getByText('kpark@partner.example').waitFor();
    await addresses.getByText('kim@partner.example').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Merge undone').waitFor();
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.locator('table').getByText('kpark@partner.example').waitFor();
    expect(await page.locator('table').getByText('kim@partner.example').count()).toBe(1);
  });

  it('shows a contact’s strength with its factors, their rhythm, and the reply owed', async () => {
    await page.getByLabel('Search contacts').fill('ann');
    await page.locator('table').getByRole('link', { name: 'Ann Asks' }).click();
    await page.getByRole('heading', { name: 'Ann Asks', level: 1 }).waitFor();
    await page.screenshot({ path: `${SHOTS}/network-contact.png`, fullPage: true });
    await page.getByTestId('strength-factors').getByText('Freshness', { exact: true }).waitFor();
    expect(await page.getByTestId('strength-factors').textContent()).toMatch(
      /1 email from them, you never wrote back/,
    );
    expect(await page.getByTestId('strength-explanation').textContent()).toMatch(
      /weak\s*One-way mail to you counts as weak/,
    );
    const actions = page.getByRole('region', { name: 'Next actions' });
    await actions.getByText('Reply to "Contract"').waitFor();
    await page.screenshot({ path: `${SHOTS}/network-contact.png`, fullPage: true });
  });
});
