import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseCrossOrigin } from './cross-origin';

const APP = 'http://app.test:3000';
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!refuseCrossOrigin(req, res, APP, { drainUpTo: 1024 * 1024 })) res.end('done');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/import/mbox`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('refuseCrossOrigin', () => {
  it('refuses a change sent from another origin, another port of the same host included', async () => {
    for (const origin of ['http://app.test:8080', 'http://evil.example', 'null']) {
      const res = await fetch(url, { method: 'POST', headers: { origin }, body: 'From x' });
      expect(res.status, origin).toBe(403);
    }
  });

  it('takes changes from the app itself and from clients that name no origin, and any read', async () => {
    expect((await fetch(url, { method: 'POST', headers: { origin: APP }, body: 'x' })).status).toBe(
      200,
    );
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(200);
    expect((await fetch(url, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });
});
