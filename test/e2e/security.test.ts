import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mbox, tempFile } from '../fixtures/mbox-builder';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser } from '../support/browser';
import { runCli } from '../support/cli-process';
import { readSse } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

const SHOTS = 'test-results/screenshots';

/**
 * Email HTML that tries to run script in every way we know of. Each payload, if it ran, would set
 * `top.__xss`, open a dialog, or fetch from the beacon server; none of that may happen.
 */
function xssCorpus(beacon: string): string[] {
  const run = `top.__xss=1;alert(1);fetch('${beacon}/js')`;
  return [
    `<script>${run}</script>`,
    `<img src=x onerror="${run}">`,
    `<svg onload="${run}"><circle r=5 /></svg>`,
    `<body onload="${run}"><p>hello</p></body>`,
    `<iframe src="javascript:${run}"></iframe>`,
    `<iframe srcdoc="<script>${run}</script>"></iframe>`,
    `<meta http-equiv="refresh" content="0;url=javascript:${run}">`,
    `<object data="javascript:${run}"></object><embed src="data:text/html,<script>${run}</script>">`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${run}"></style></mglyph></table></mtext></math>`,
    `<noscript><p title="</noscript><img src=x onerror=${run}>"></p></noscript>`,
    `<details open ontoggle="${run}"><summary>x</summary></details>`,
    `<video><source onerror="${run}"></video><audio src=x onerror="${run}"></audio>`,
    `<input autofocus onfocus="${run}"><select autofocus onfocus="${run}"></select>`,
    `<scr<script>ipt>${run}</scr</script>ipt>`,
    `<img src="x" onerror="&#116;&#111;&#112;.__xss=1">`,
    `<a href="javascript:${run}" id="link">click</a><form action="javascript:${run}"><button>go</button></form>`,
    `<base href="javascript:${run}//"><a href="/x">relative</a>`,
    `<div style="background:url('${beacon}/css-bg')">styled</div><style>@import '${beacon}/css-import';</style>`,
    `<img src="${beacon}/pixel.gif" width=1 height=1><link rel=stylesheet href="${beacon}/sheet.css">`,
    `<textarea><script>${run}</script></textarea><xmp><script>${run}</script></xmp>`,
    `<svg><animate onbegin="${run}" attributeName=x dur=1s></animate></svg>`,
    `<iframe src="data:text/html,<script>${run}</script>"></iframe>`,
    `<marquee onstart="${run}">moving</marquee>`,
    `<img src=x:x onerror="eval(atob('dG9wLl9feHNzPTE='))">`,
  ];
}

describe('web security in a real browser', () => {
  let app: AppProcess;
  let browser: Browser;
  let beacon: http.Server;
  const beaconHits: string[] = [];

  beforeAll(async () => {
    beacon = http.createServer((req, res) => {
      beaconHits.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((r) => beacon.listen(0, '127.0.0.1', r));
    app = await startApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await new Promise((r) => beacon?.close(r));
  });

  it('sets the security headers, and a nonce CSP on pages', async () => {
    const page = await fetch(`${app.url}/sign-in`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    const again = await fetch(`${app.url}/sign-in`);
    expect(again.headers.get('content-security-policy')).not.toBe(csp); // a fresh nonce each time
    // Pages, a Next.js route handler, and the API the app server answers itself.
    const api = await fetch(`${app.url}/api/trpc/contacts.list`);
    expect(api.status).toBe(401);
    for (const res of [page, await fetch(`${app.url}/api/health`), api]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    // The page's own scripts carry the nonce; nothing else in the HTML is a script without it.
    const html = await page.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`))).toEqual([]);
  });

  it('gives the session cookie HttpOnly and SameSite', async () => {
    const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ email: 'demo@rapport.local', password: 'rapport-demo' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.includes('session_token='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('shows hostile email HTML without running any of it or loading anything remote', async () => {
    const beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
    const corpus = xssCorpus(beaconUrl);
    const file = tempFile(
      'xss.mbox',
      mbox(
        corpus.map((html, i) => ({
          from: 'Mallory Attacker <mallory@evil.example>',
          to: 'demo@rapport.local',
          subject: `Payload ${i + 1}`,
          date: new Date(Date.UTC(2026, 9, 1, 9, i)).toUTCString(),
          headers: { 'MIME-Version': '1.0', 'Content-Type': 'text/html; charset=utf-8' },
          body: `<html><body><p>Payload ${i + 1}</p>${html}</body></html>`,
        })),
      ),
    );
    const imported = await runCli(
      ['import', file, '--user', 'demo@rapport.local', '--json'],
      app.dataDir,
    );
    expect(imported.code, imported.stderr).toBe(0);

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const dialogs: string[] = [];
    const cspViolations: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    watchCsp(page, cspViolations);
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill('demo@rapport.local');
    await page.getByLabel('Password').fill('rapport-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${app.url}/contacts?q=mallory&robots=1`);
    await page.getByRole('link', { name: 'Mallory Attacker' }).click();
    await page.waitForURL('**/contacts/*');
    const items = page.getByTestId('timeline').locator('li');
    await items.nth(corpus.length - 1).waitFor();
    for (let i = 0; i < corpus.length; i++) {
      const item = items.nth(i);
      await item.locator('button').first().click();
      await item.getByRole('button', { name: 'Show formatted' }).click();
      const frame = item.locator('iframe');
      await frame.waitFor();
      // The frame has drawn its document (the payload's own text) before we look for effects.
      await frame
        .contentFrame()
        .getByText(/Payload \d+/)
        .waitFor();
    }
    await page.screenshot({ path: `${SHOTS}/xss-corpus.png`, fullPage: true });
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(beaconHits).toEqual([]);
    // The app's own pages break no rule of their CSP (the frames' refusals are theirs).
    expect(cspViolations.filter((v) => !v.includes('about:srcdoc'))).toEqual([]);
    await ctx.close();
  });

  it('gives another user nothing through any route handler: exports, SSE, tRPC, CLI, push', async () => {
    // The handlers this walk covers; a new one fails it until it is walked too.
    expect(routeHandlers().sort()).toEqual(
      [
        '/api/auth/[...all]',
        '/api/cli',
        '/api/events/stream',
        '/api/export/contacts',
        '/api/gmail/push',
        '/api/health',
        '/api/import/mbox',
        '/api/trpc/[trpc]',
      ].sort(),
    );
    const signIn = async (email: string, password: string, path = 'sign-in') => {
      const post = (kind: string) =>
        fetch(`${app.url}/api/auth/${kind}/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: app.url },
          body: JSON.stringify({ email, password, name: 'Bob' }),
        });
      // A sign-up signs no one in: the sign-in after it does.
      if (path === 'sign-up') expect((await post('sign-up')).status, `sign-up ${email}`).toBe(200);
      const res = await post('sign-in');
      expect(res.status, `sign-in ${email}`).toBe(200);
      return res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
    const alice = await signIn('demo@rapport.local', 'rapport-demo');
    const bob = await signIn('bob-routes@example.com', 'bob-routes-password', 'sign-up');
    const as = (cookie: string, path: string, init: RequestInit = {}) =>
      fetch(`${app.url}${path}`, {
        ...init,
        headers: { ...init.headers, cookie, origin: app.url },
      });

    // Alice's data, and the words only it holds.
    const aliceCsv = await (await as(alice, '/api/export/contacts?format=csv')).text();
    const aliceEmails = aliceCsv
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[1])
      .filter((e): e is string => Boolean(e && e.includes('@')));
    expect(aliceEmails.length).toBeGreaterThan(50);
    const list = (await (
      await as(
        alice,
        `/api/trpc/contacts.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1 } }))}`,
      )
    ).json()) as { result: { data: { json: { rows: { id: string }[] } } } };
    const aliceContact = list.result.data.json.rows[0]!.id;
    const leaks = (text: string) => aliceEmails.filter((e) => text.includes(e));

    // Exports: Bob's are his own (empty), in both formats.
    for (const format of ['csv', 'vcf']) {
      const res = await as(bob, `/api/export/contacts?format=${format}`);
      expect(res.status).toBe(200);
      expect(leaks(await res.text())).toEqual([]);
    }
    expect((await fetch(`${app.url}/api/export/contacts?format=csv`)).status).toBe(401);

    // tRPC over HTTP with her contact's id: not found, nothing of hers in the answer.
    const byId = await as(
      bob,
      `/api/trpc/contacts.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: aliceContact } }))}`,
    );
    expect(byId.status).toBe(404);
    expect(leaks(await byId.text())).toEqual([]);

    // SSE: Bob's stream, replayed from the start, carries his events only, and none of the
    // event Alice causes while he listens. His own next sign-in marks the end of the wait.
    const stream = await as(bob, '/api/events/stream', { headers: { 'last-event-id': '0' } });
    expect(stream.status).toBe(200);
    const sse = readSse(stream);
    await waitFor(() => sse.messages.some((m) => m.data.type === 'user.signed_in'), {
      what: 'Bob’s own sign-up event',
    });
    const viewed = await as(
      alice,
      `/api/trpc/contacts.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: aliceContact } }))}`,
    );
    expect(viewed.status).toBe(200); // Alice's contact.viewed event is in the log now
    await signIn('bob-routes@example.com', 'bob-routes-password');
    await waitFor(() => sse.messages.filter((m) => m.data.type === 'user.signed_in').length >= 2, {
      what: 'Bob’s second sign-in event',
    });
    await sse.close();
    expect(sse.messages.map((m) => m.data.type)).not.toContain('contact.viewed');
    expect(leaks(JSON.stringify(sse.messages))).toEqual([]);
    expect(JSON.stringify(sse.messages)).not.toContain(aliceContact);
    expect((await fetch(`${app.url}/api/events/stream`)).status).toBe(401);

    // The CLI endpoint takes only the local server token, never a session.
    const cli = await as(bob, '/api/cli', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'status', input: { user: 'demo@rapport.local' } }),
    });
    expect(cli.status).toBe(401);
    expect(leaks(await cli.text())).toEqual([]);

    // Gmail push needs its shared token; the upload needs a session; health says nothing personal.
    const push = await fetch(`${app.url}/api/gmail/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: { data: btoa('{"emailAddress":"demo@rapport.local","historyId":"1"}') },
      }),
    });
    expect([401, 403, 404]).toContain(push.status);
    const upload = await fetch(`${app.url}/api/import/mbox`, { method: 'POST', body: 'From x' });
    expect(upload.status).toBe(401);
    const health = await (await fetch(`${app.url}/api/health`)).text();
    expect(leaks(health)).toEqual([]);
    expect(health).not.toContain('demo@rapport.local');
    // The auth endpoint's session for Bob is Bob's.
    const session = (await (await as(bob, '/api/auth/get-session')).json()) as {
      user: { email: string };
    };
    expect(session.user.email).toBe('bob-routes@example.com');
  });

  it('breaks no CSP rule on any page of the app', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const violations: string[] = [];
    watchCsp(page, violations);
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill('demo@rapport.local');
    await page.getByLabel('Password').fill('rapport-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('list-strength').locator('a').first().waitFor();
    await page.getByTestId('list-strength').locator('a').first().click();
    await page.getByTestId('strength-explanation').waitFor();
    for (const [p, ready] of [
      ['/contacts', 'tbody tr'],
      ['/ask', 'input[name="question"]'],
      ['/settings', 'text=Signed in as'],
    ] as const) {
      await page.goto(`${app.url}${p}`);
      await page.locator(ready).first().waitFor();
    }
    // Client-side navigation works under the policy too (chunks load through 'strict-dynamic').
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(violations).toEqual([]);
    await ctx.close();
  });
});

/** Every route handler the app serves, by its path under src/app/api. */
function routeHandlers(dir = 'src/app/api', prefix = '/api'): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? routeHandlers(`${dir}/${e.name}`, `${prefix}/${e.name}`)
        : e.name === 'route.ts'
          ? [prefix]
          : [],
    );
}

function watchCsp(page: Page, into: string[]) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text()))
      into.push(`${m.location().url}: ${m.text()}`);
  });
}
