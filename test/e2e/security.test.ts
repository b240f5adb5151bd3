import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
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
const PUSH_TOKEN = 'e2e-push-token-0123456789';

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
  /** The demo user's session cookie (sign-in is rate-limited: the HTTP tests share one). */
  let demo: string;
  let beacon: http.Server;
  const beaconHits: string[] = [];

  beforeAll(async () => {
    beacon = http.createServer((req, res) => {
      beaconHits.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((r) => beacon.listen(0, '127.0.0.1', r));
    // As behind a reverse proxy (the requests here come without one: the socket's address).
    app = await startApp({ GMAIL_PUSH_TOKEN: PUSH_TOKEN, TRUST_PROXY: '1' });
    browser = await launchBrowser();
    demo = await signInCookie(app.url, 'demo@rapport.local', 'rapport-demo');
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
      headers: { 'content-type': 'application/json', origin: app.url, ...asClient() },
      body: JSON.stringify({ email: 'demo@rapport.local', password: 'rapport-demo' }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.includes('session_token='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // A week from its last use, not a month.
    expect(cookie).toMatch(/Max-Age=604800\b/i);
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

  it('opens a message of 200,000 nested <div> at once, while the server keeps answering', async () => {
    const deep = `<p>Deep payload</p>${'<div>'.repeat(200_000)}deep words${'</div>'.repeat(200_000)}`;
    const file = tempFile(
      'deep.mbox',
      mbox([
        {
          from: 'Deep Nester <deep-nester@evil.example>',
          to: 'demo@rapport.local',
          subject: 'Deep',
          date: new Date(Date.UTC(2026, 9, 2, 9, 0)).toUTCString(),
          headers: { 'MIME-Version': '1.0', 'Content-Type': 'text/html; charset=utf-8' },
          body: deep,
        },
      ]),
    );
    const health = healthProbe(app.url);
    const imported = await runCli(
      ['import', file, '--user', 'demo@rapport.local', '--json'],
      app.dataDir,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const cookie = demo;
    const contact = (await trpcGet(app.url, cookie, 'contacts.list', {
      search: 'deep-nester',
      humansOnly: false,
    })) as { rows: { id: string }[] };
    const timeline = (await trpcGet(app.url, cookie, 'contacts.timeline', {
      id: contact.rows[0]!.id,
    })) as { items: { id: string; hasHtml: boolean }[] };
    expect(timeline.items[0]!.hasHtml).toBe(true);

    const started = performance.now();
    const email = (await trpcGet(app.url, cookie, 'contacts.email', {
      emailId: timeline.items[0]!.id,
    })) as { html: string | null };
    const openMs = performance.now() - started;
    const latencies = await health.stop();
    expect(email.html).toContain('deep words');
    // Generous bounds (the figures are bench:security's): it took 21 s, and so did /api/health.
    expect(openMs).toBeLessThan(5000);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(2000);
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
          headers: { 'content-type': 'application/json', origin: app.url, ...asClient() },
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

  it('answers an oversized or unfinished body before reading it, on every route', async () => {
    const huge = { 'content-length': String(100 * 1024 ** 2), 'content-type': 'application/json' };
    for (const path of [
      `/api/gmail/push?token=${PUSH_TOKEN}`,
      '/api/auth/sign-in/email',
      '/api/trpc/senderRules.set',
      '/api/cli',
      '/api/events/stream',
    ]) {
      // 100 MB announced, 1 kB sent: the answer comes without waiting for the rest.
      expect((await partialPost(app.url, path, huge, 1024)).status, path).toBe(413);
    }
    // A body of undeclared length could not be limited in advance: refused.
    const chunked = await partialPost(
      app.url,
      '/api/auth/sign-in/email',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      1024,
    );
    expect(chunked.status).toBe(411);
    // Gmail push checks its token before it reads a byte: a stranger's body is never awaited.
    for (const token of ['', '?token=wrong-token-0000000000']) {
      const push = await partialPost(
        app.url,
        `/api/gmail/push${token}`,
        { 'content-length': String(512 * 1024), 'content-type': 'application/json' },
        1024,
      );
      expect(push.status).toBe(403);
    }
    // With the token, at most 64 kB is kept; the connection stays fit for the next request.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const big = await send(app.url, agent, `/api/gmail/push?token=${PUSH_TOKEN}`, 'POST', {
      message: { data: 'A'.repeat(200 * 1024) },
    });
    expect(big.status).toBe(413);
    expect((await send(app.url, agent, '/api/health', 'GET')).status).toBe(200);
    expect(big.socket).toBe((await send(app.url, agent, '/api/health', 'GET')).socket);
    agent.destroy();
  });

  it('refuses an upload or a change sent from another origin of the same site', async () => {
    const other = app.url.replace(/:(\d+)$/, (_m, port: string) => `:${Number(port) + 1}`);
    const upload = (origin: string) =>
      fetch(`${app.url}/api/import/mbox?name=csrf.mbox`, {
        method: 'POST',
        headers: { cookie: demo, origin, 'content-type': 'text/plain' },
        body: mbox([{ from: 'csrf@evil.example', to: 'demo@rapport.local', subject: 'CSRF' }]),
      });
    // A page on another port is the same site: its requests carry the session cookie.
    expect((await upload(other)).status).toBe(403);
    expect((await upload('null')).status).toBe(403);
    // A form post (CORS-safelisted, so no preflight) to a mutation.
    const mutation = await fetch(`${app.url}/api/trpc/mailAccounts.syncNow`, {
      method: 'POST',
      headers: { cookie: demo, origin: other },
      body: new URLSearchParams({ accountId: 'x' }),
    });
    expect(mutation.status).toBe(403);
    expect((await upload(app.url)).status).toBe(202);
  });

  it('behind a trusted proxy, takes the client’s address from the proxy’s hop, not the client’s claim', async () => {
    // This test plays the proxy: the client wrote the left part, the proxy appended the last.
    const signIn = (forwarded: string, password = 'not-the-password') =>
      fetch(`${app.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: app.url,
          'x-forwarded-for': forwarded,
        },
        body: JSON.stringify({ email: 'demo@rapport.local', password }),
      });
    const statuses = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await signIn(`198.51.100.${i}, 203.0.113.7`)).status);
    // Ten a minute from one client, however it varies what it claims to be.
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another client behind the same proxy is not held back by it.
    expect((await signIn('198.51.100.7, 203.0.113.8')).status).toBe(401);
    // And its session records the proxy's hop as its address.
    const ok = await signIn('192.0.2.1, 203.0.113.9', 'rapport-demo');
    expect(ok.status).toBe(200);
    const cookie = ok.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const sessions = (await (
      await fetch(`${app.url}/api/auth/list-sessions`, { headers: { cookie } })
    ).json()) as { ipAddress: string | null; token: string }[];
    expect(sessions.map((x) => x.ipAddress)).toContain('203.0.113.9');
    expect(sessions.map((x) => x.ipAddress)).not.toContain('192.0.2.1');
  });

  it('stays on the app after signing in, whatever `next` says; a linked question is only filled in', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('assistant.ask')) asked.push(r.url());
    });
    await page.goto(`${app.url}/sign-in?next=${encodeURIComponent('/\\evil.example/steal')}`);
    await page.getByLabel('Email').fill('demo@rapport.local');
    await page.getByLabel('Password').fill('rapport-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(new URL(page.url()).origin).toBe(app.url);

    // A link from anywhere to /ask?q=… puts the question in the box; nothing is asked.
    await page.goto(`${app.url}/ask?q=${encodeURIComponent('Who do I email the most?')}`);
    const box = page.getByLabel('Question');
    await box.waitFor();
    await waitFor(async () => (await box.inputValue()) === 'Who do I email the most?');
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    );
    expect(asked).toEqual([]);
    expect(await page.getByTestId('answer').count()).toBe(0);
    // Asked from the app's own palette, the question is answered at once.
    await page.locator('html[data-palette="ready"]').waitFor({ state: 'attached' });
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Search people/ }).fill('Who is going cold?');
    await page.getByRole('option', { name: /^Ask: Who is going cold\?/ }).click();
    await page
      .getByTestId('answer')
      .first()
      .getByText(/Going cold|No one is going cold/)
      .waitFor();
    expect(asked).toHaveLength(1);
    await ctx.close();
  });

  it('holds one event stream per tab, a few per user, none past its session', async () => {
    // In the browser: Settings follows events in four places, over one connection.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const streams: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/events/stream')) streams.push(r.url());
    });
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Email').fill('demo@rapport.local');
    await page.getByLabel('Password').fill('rapport-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    streams.length = 0;
    await page.goto(`${app.url}/settings`);
    await page.locator('text=Signed in as').first().waitFor();
    await waitFor(() => streams.length >= 1, { what: 'the settings page’s stream' });
    // Its effects have all run (each live component's, were they to open streams of their own).
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    );
    expect(streams).toHaveLength(1);
    await ctx.close();

    // Over HTTP: at most 10 streams per user at once; a closed one frees its place.
    const cookie = demo;
    const open = async () => {
      const abort = new AbortController();
      const res = await fetch(`${app.url}/api/events/stream`, {
        headers: { cookie },
        signal: abort.signal,
      });
      return { res, abort };
    };
    const held = [];
    for (let i = 0; i < 10; i++) held.push(await open());
    expect(held.map((h) => h.res.status)).toEqual(Array(10).fill(200));
    const refused = await open();
    expect(refused.res.status).toBe(429);
    for (const h of held) h.abort.abort();
    const after = await waitFor(
      async () => {
        const next = await open();
        if (next.res.status === 200) return next;
        next.abort.abort();
        return null;
      },
      { what: 'a stream once the others closed', intervalMs: 100 },
    );
    after.abort.abort();

    // A stream ends at the first heartbeat (15 s) after its session does.
    const session = await signInCookie(app.url, 'demo@rapport.local', 'rapport-demo');
    const stream = await fetch(`${app.url}/api/events/stream`, { headers: { cookie: session } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    const out = await fetch(`${app.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: session, origin: app.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    const timeout = new Promise<false>((r) => setTimeout(() => r(false), 30_000));
    expect(await Promise.race([ended, timeout])).toBe(true);
  });

  it('closes sign-up after the first user, answering every address the same', async () => {
    // Bob made the first account of his own above (the demo aside): sign-up is closed now.
    const signUp = (email: string) =>
      fetch(`${app.url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url, ...asClient() },
        body: JSON.stringify({ email, password: 'a-long-enough-password', name: 'Mallory' }),
      });
    const fresh = await signUp('mallory@evil.example');
    const taken = await signUp('bob-routes@example.com');
    expect(fresh.status).toBe(403);
    const body = await fresh.json();
    expect(body).toMatchObject({ code: 'SIGNUP_CLOSED' });
    expect({ status: taken.status, body: await taken.json() }).toEqual({ status: 403, body });
  });

  it('deletes an account only with its password, not with a session alone', async () => {
    const cookie = await cookieOf('bob-routes@example.com', 'bob-routes-password');
    const del = (input: object) =>
      trpc(cookie, 'me.deleteAccount', { confirmEmail: 'bob-routes@example.com', ...input });
    expect((await del({})).status).toBe(401);
    expect((await del({ password: 'a-guess-at-his-password' })).status).toBe(401);
    // Still there: he signs in.
    expect(await cookieOf('bob-routes@example.com', 'bob-routes-password')).toContain('session');
  });

  it('exports vCards that a control character in a note cannot break into forged cards', async () => {
    const cookie = await cookieOf('demo@rapport.local', 'rapport-demo');
    const list = (await (
      await fetch(
        `${app.url}/api/trpc/contacts.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1 } }))}`,
        { headers: { cookie } },
      )
    ).json()) as { result: { data: { json: { rows: { id: string }[] } } } };
    const id = list.result.data.json.rows[0]!.id;
    const notes = 'met at a fair\rEND:VCARD\rBEGIN:VCARD\rFN:Forged Person\u000bX';
    expect((await trpc(cookie, 'contacts.update', { id, patch: { notes } })).status).toBe(200);
    const vcf = await (
      await fetch(`${app.url}/api/export/contacts?format=vcf`, { headers: { cookie } })
    ).text();
    expect(vcf).not.toMatch(/\r(?!\n)/);
    expect([...vcf].filter((c) => /\p{Cc}/u.test(c) && c !== '\r' && c !== '\n')).toEqual([]);
    expect(vcf.split('\r\n')).not.toContain('FN:Forged Person');
    expect(vcf).toContain('NOTE:met at a fair\\nEND:VCARD\\nBEGIN:VCARD\\nFN:Forged Person X');
  });

  /** A signed-in session's cookies. */
  async function cookieOf(email: string, password: string) {
    const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, ...asClient() },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status, `sign-in ${email}`).toBe(200);
    return res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  /** A tRPC mutation over HTTP, as the browser sends it. */
  function trpc(cookie: string, path: string, input: unknown) {
    return fetch(`${app.url}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: app.url },
      body: JSON.stringify({ json: input }),
    });
  }

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

/**
 * A server made reachable from the network (HOST=0.0.0.0) as the README says: what a stranger
 * on that network can and cannot do, and what its operator finds on disk.
 */
describe('a server exposed to the network', () => {
  let app: AppProcess;
  const lanAddress = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  beforeAll(async () => {
    app = await startApp({
      HOST: '0.0.0.0',
      RAPPORT_SIGNUP: 'invite',
      MAX_UPLOAD_BYTES: '200000',
      MAX_DECOMPRESSED_BYTES: '1000000',
    });
    await waitFor(() => app.output().includes('Demo sign-in:'), { what: 'the demo sign-in line' });
  });
  afterAll(async () => {
    await app?.stop({ keepData: true });
    if (app) fs.rmSync(app.dataDir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, ...headers },
      body: JSON.stringify(body),
    });
  const demoPassword = () => /Demo sign-in: demo@rapport\.local \/ (\S+)/.exec(app.output())?.[1];
  async function demoCookie() {
    const res = await post('/api/auth/sign-in/email', {
      email: 'demo@rapport.local',
      password: demoPassword(),
    });
    expect(res.status).toBe(200);
    return res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }
  const trpcGet = async <T>(cookie: string, path: string, input: unknown) =>
    (
      (await (
        await fetch(
          `${app.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
          { headers: { cookie } },
        )
      ).json()) as { result: { data: { json: T } } }
    ).result.data.json;

  it('gives the demo user a random password, shown once, never the published one', async () => {
    expect(app.output()).not.toContain('rapport-demo');
    expect(demoPassword()).toMatch(/^[\w-]{20,}$/);
    const published = await post('/api/auth/sign-in/email', {
      email: 'demo@rapport.local',
      password: 'rapport-demo',
    });
    expect(published.status).toBe(401);
    await demoCookie();
  });

  it('lets in by invitation only: once, and with a long enough password', async () => {
    const account = { email: 'invitee@example.com', name: 'Invitee' };
    const uninvited = await post('/api/auth/sign-up/email', {
      ...account,
      password: 'a-long-enough-password',
    });
    expect(uninvited.status).toBe(403);
    expect(await uninvited.json()).toMatchObject({ code: 'SIGNUP_INVITE_REQUIRED' });

    const cookie = await demoCookie();
    const made = (await (
      await post('/api/trpc/invites.create', { json: {} }, { cookie })
    ).json()) as { result: { data: { json: { url: string } } } };
    const token = new URL(made.result.data.json.url).searchParams.get('invite')!;
    const withInvite = (password: string) =>
      post(
        '/api/auth/sign-up/email',
        { ...account, password },
        { cookie: `rapport_invite=${token}` },
      );
    const short = await withInvite('eleven-char');
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
    expect((await withInvite('a-long-enough-password')).status).toBe(200);
    const again = await post(
      '/api/auth/sign-up/email',
      { email: 'second@example.com', name: 'Second', password: 'a-long-enough-password' },
      { cookie: `rapport_invite=${token}` },
    );
    expect(again.status).toBe(403);
  });

  it('refuses an upload over its size, and stops a gzip bomb, leaving nothing on disk', async () => {
    const cookie = await demoCookie();
    const uploads = path.join(app.dataDir, 'uploads');
    const upload = (body: Buffer | string) =>
      fetch(`${app.url}/api/import/mbox?owners=demo@rapport.local&name=x.mbox`, {
        method: 'POST',
        headers: { cookie, origin: app.url },
        body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
      });
    const big = await upload('x'.repeat(300_000));
    expect(big.status).toBe(413);
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);

    const bomb = zlib.gzipSync(
      Buffer.concat([
        Buffer.from(
          mbox([{ from: 'Bo <bo@bomb.example>', to: 'demo@rapport.local', subject: 'Boom' }]),
        ),
        Buffer.alloc(30e6, 0x61),
      ]),
    );
    expect(bomb.length).toBeLessThan(200_000);
    const res = await upload(bomb);
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    await waitFor(
      async () =>
        (await trpcGet<{ state: string }>(cookie, 'jobs.byId', { id: jobId })).state ===
        'completed',
      { what: 'the bomb’s import to end', timeoutMs: 30_000 },
    );
    const accounts = await trpcGet<{ id: string; provider: string; rejected: number }[]>(
      cookie,
      'mailAccounts.list',
      undefined,
    );
    const mbox_ = accounts.find((a) => a.provider === 'mbox' && a.rejected > 0)!;
    const errors = await trpcGet<{ reason: string }[]>(cookie, 'mailAccounts.importErrors', {
      accountId: mbox_.id,
    });
    expect(errors.map((e) => e.reason).join(' ')).toMatch(
      /more than 1000000 bytes once decompressed/,
    );
    expect(fs.readdirSync(uploads)).toEqual([]);
  });

  it('answers the CLI endpoint on loopback only, and only when no proxy relayed the call', async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(app.dataDir, 'rapport.lock'), 'utf8')) as {
      cliUrl: string;
      token: string;
    };
    const port = new URL(app.url).port;
    const call = (base: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/api/cli`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${lock.token}`,
          ...headers,
        },
        body: JSON.stringify({ command: 'status', input: {} }),
      });
    expect((await call(lock.cliUrl)).status).toBe(200);
    expect((await call(lock.cliUrl, { 'x-forwarded-for': '203.0.113.5' })).status).toBe(403);
    expect(
      (await call(lock.cliUrl, { 'x-rapport-local-client': '1', forwarded: 'for=x' })).status,
    ).toBe(403);
    // From the network (this machine's own network address stands in for another machine).
    if (lanAddress) expect((await call(`http://${lanAddress}:${port}`)).status).toBe(403);
  });

  it('keeps its data directory to its owner', async () => {
    expect((fs.statSync(app.dataDir).mode & 0o777).toString(8)).toBe('700');
    await app.stop({ keepData: true });
    const open: string[] = [];
    const walk = (p: string) => {
      const st = fs.lstatSync(p);
      if (st.mode & 0o077) open.push(`${p} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    walk(app.dataDir);
    expect(open).toEqual([]);
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

/** One request through `agent` (a kept-alive connection), with the socket it used. */
function send(base: string, agent: http.Agent, path: string, method: string, json?: unknown) {
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
    const req = http.request(new URL(path, base), {
      agent,
      method,
      headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
      timeout: 15_000,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, socket: req.socket }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

let clients = 0;
/**
 * A client address of its own for one sign-in or sign-up over HTTP, as the trusted proxy the app
 * runs behind reports it: sign-in is limited to 10 a minute per client, and this file's HTTP
 * calls all come from 127.0.0.1 (the browser's sign-ins keep that address to themselves).
 */
function asClient() {
  clients++;
  return { 'x-forwarded-for': `198.18.${clients >> 8}.${clients & 255}` };
}

async function signInCookie(base: string, email: string, password: string) {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...asClient() },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function trpcGet(base: string, cookie: string, path: string, input: unknown) {
  const res = await fetch(
    `${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    { headers: { cookie } },
  );
  expect(res.status, path).toBe(200);
  return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

/** Asks /api/health again and again, one request after another, until stopped: each answer's time. */
function healthProbe(base: string) {
  const latencies: number[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const started = performance.now();
      const res = await fetch(`${base}/api/health`);
      await res.text();
      latencies.push(performance.now() - started);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return latencies;
    },
  };
}

/**
 * POSTs headers and `sent` bytes of body, never the rest, and resolves with the answer; a server
 * that waits for the whole body never answers, and this rejects after 15 s.
 */
function partialPost(base: string, path: string, headers: http.OutgoingHttpHeaders, sent: number) {
  const url = new URL(path, base);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { origin: base, ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${path}: no answer within 15 s (the server waits for the body)`));
    }, 15_000);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, body });
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.write(Buffer.alloc(sent, 0x20));
  });
}

function watchCsp(page: Page, into: string[]) {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text()))
      into.push(`${m.location().url}: ${m.text()}`);
  });
}
