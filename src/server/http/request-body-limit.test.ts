import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { refuseOversizedBody } from './request-body-limit';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that answers the size of each body it accepts, behind the limit. */
async function serve(limit: number) {
  const server = http.createServer((req, res) => {
    if (refuseOversizedBody(req, res, limit)) return;
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => res.end(String(size)));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** Sends headers and `sent` bytes of body, and waits for the answer (never finishing the body). */
function request(port: number, headers: http.OutgoingHttpHeaders, sent: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/x', headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(sent, 0x61));
  });
}

describe('refuseOversizedBody', () => {
  it('refuses a body declared over the limit at once, without waiting for it', async () => {
    const port = await serve(1024);
    const res = await request(port, { 'content-length': String(100 * 1024 ** 2) }, 10);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: 'Request body too large' });
  });

  it('refuses a body of unknown length (chunked), which no limit could check in advance', async () => {
    const port = await serve(1024);
    const res = await request(port, { 'transfer-encoding': 'chunked' }, 10);
    expect(res.status).toBe(411);
  });

  it('lets a body within the limit through', async () => {
    const port = await serve(1024);
    const res = await fetch(`http://127.0.0.1:${port}/x`, {
      method: 'POST',
      body: 'a'.repeat(1024),
    });
    expect(await res.text()).toBe('1024');
    expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(200);
  });
});
