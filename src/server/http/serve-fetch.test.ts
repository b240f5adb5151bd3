import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFetch, type FetchHandler } from './serve-fetch';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: FetchHandler, maxBodyBytes = 1024) {
  const server = http.createServer((req, res) => {
    void serveFetch(req, res, handler, {
      maxBodyBytes,
      headers: [
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'Cache-Control', value: 'no-store' },
      ],
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serveFetch', () => {
  it('hands the handler the request: method, URL, headers and body', async () => {
    let seen: { method: string; url: string; headers: Headers; body: string } | undefined;
    const url = await serve(async (req) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body: await req.text() };
      return new Response('ok');
    });
    const res = await fetch(`${url}/api/trpc/a.b?batch=1&input=%7B%7D`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'a=1; b=2', 'x-thing': 'yes' },
      body: '{"0":{"json":{"q":"é"}}}',
    });
    expect(await res.text()).toBe('ok');
    expect(seen!.method).toBe('POST');
    expect(new URL(seen!.url).pathname).toBe('/api/trpc/a.b');
    expect(new URL(seen!.url).searchParams.get('input')).toBe('{}');
    expect(seen!.headers.get('cookie')).toBe('a=1; b=2');
    expect(seen!.headers.get('x-thing')).toBe('yes');
    expect(seen!.body).toBe('{"0":{"json":{"q":"é"}}}');
  });

  it('sends the answer: status, headers (its own win over the defaults), every cookie', async () => {
    const url = await serve(async () => {
      const headers = new Headers({
        'content-type': 'application/json',
        'cache-control': 'max-age=5',
      });
      headers.append('set-cookie', 'a=1; HttpOnly');
      headers.append('set-cookie', 'b=2; HttpOnly');
      return new Response('{"x":1}', { status: 201, headers });
    });
    const res = await fetch(url);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ x: 1 });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('max-age=5');
    expect(res.headers.getSetCookie()).toEqual(['a=1; HttpOnly', 'b=2; HttpOnly']);
  });

  it('refuses a body over the limit without calling the handler', async () => {
    let called = false;
    const url = await serve(async () => {
      called = true;
      return new Response('ok');
    }, 100);
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Request body too large' });
    expect(called).toBe(false);
    // The server still answers afterwards.
    expect((await fetch(url, { method: 'POST', body: 'small' })).status).toBe(200);
  });

  it('streams the answer as it comes', async () => {
    let push: ((s: string) => void) | undefined;
    let close: (() => void) | undefined;
    const url = await serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          push = (s) => c.enqueue(new TextEncoder().encode(s));
          close = () => c.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/jsonl' } });
    });
    const res = await fetch(url);
    const reader = res.body!.getReader();
    push!('{"a":1}\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    push!('{"b":2}\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"b":2}\n');
    close!();
    expect((await reader.read()).done).toBe(true);
  });

  it('aborts the request and stops the stream when the client goes away', async () => {
    let aborted: Promise<void> | undefined;
    let cancelled: Promise<unknown> | undefined;
    let push: ((s: string) => void) | undefined;
    const url = await serve(async (req) => {
      aborted = new Promise((r) => req.signal.addEventListener('abort', () => r()));
      let onCancel: (reason: unknown) => void = () => {};
      cancelled = new Promise((r) => (onCancel = r));
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          push = (s) => c.enqueue(new TextEncoder().encode(s));
        },
        cancel: (reason) => onCancel(reason),
      });
      return new Response(body);
    });
    const client = new AbortController();
    const res = await fetch(url, { signal: client.signal });
    const reader = res.body!.getReader();
    push!('first\n');
    await reader.read();
    client.abort();
    await aborted;
    // The next piece finds the client gone: the stream is cancelled, nothing more is read.
    push!('second\n');
    await cancelled;
  });

  it('answers a request it cannot read with 400', async () => {
    const url = await serve(async () => new Response('ok'));
    const { port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/x', headers: { host: 'bad host:99999' } },
        (res) => resolve(res.statusCode!),
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});
