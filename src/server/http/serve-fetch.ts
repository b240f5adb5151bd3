import type http from 'node:http';

export type FetchHandler = (request: Request) => Promise<Response>;

export type ServeFetchOptions = {
  /** Headers every answer carries (the handler's own win). */
  headers?: { key: string; value: string }[];
  /** A larger request body is refused (413) before the handler sees it. */
  maxBodyBytes: number;
};

class BodyTooLarge extends Error {}

async function readBody(req: http.IncomingMessage, max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Answers a Node request with a fetch-style handler: the request as a web `Request` (its body
 * read up to a limit, its signal aborted when the client goes away), the `Response` streamed
 * back with backpressure (a streamed answer stops when the client leaves).
 */
export async function serveFetch(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handler: FetchHandler,
  options: ServeFetchOptions,
) {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const method = req.method ?? 'GET';
  let request: Request;
  try {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const body =
      method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, options.maxBodyBytes);
    request = new Request(url, { method, headers, body, signal: abort.signal });
  } catch (err) {
    const tooLarge = err instanceof BodyTooLarge;
    res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: tooLarge ? 'Request body too large' : 'Bad request' }));
    if (tooLarge) req.resume();
    return;
  }

  const response = await handler(request);
  for (const { key, value } of options.headers ?? []) res.setHeader(key, value);
  const cookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers)
    if (name !== 'set-cookie') res.setHeader(name, value);
  if (cookies.length) res.setHeader('set-cookie', cookies);
  res.statusCode = response.status;
  if (!response.body || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  // The status and headers go now: a streamed answer's first part may take a while.
  res.flushHeaders();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
  } catch (err) {
    // The client went away mid-answer (or the stream failed after its headers were sent).
    res.destroy(err instanceof Error ? err : undefined);
  }
}

/** Resolves when the response can take more, or is gone. */
function drained(res: http.ServerResponse) {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
