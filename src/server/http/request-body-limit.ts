import type http from 'node:http';

/**
 * The largest request body any route takes (tRPC inputs, sign-in forms, Gmail push, CLI
 * commands); mbox uploads stream to disk under their own limit (MAX_UPLOAD_BYTES).
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** Uploads, which stream to disk under their own limit. */
export const isUploadPath = (url = '') => /^\/api\/import\/mbox(\?|$)/.test(url);

/**
 * Refuses a body before a byte of it is read: 413 when its declared length is over `limit`,
 * 411 when it declares none (chunked), since no limit can be checked in advance then and
 * Next's route handlers read whole bodies into memory (`req.json()`). Browsers and the API's
 * clients always declare the length of what they send. Returns whether it answered.
 */
export function refuseOversizedBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limit: number,
): boolean {
  const declared = req.headers['content-length'];
  if (
    declared === undefined
      ? req.headers['transfer-encoding'] === undefined
      : Number(declared) <= limit
  )
    return false;
  const status = declared === undefined ? 411 : 413;
  // The connection closes after the answer: what the client still sends is never read.
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      error: status === 413 ? 'Request body too large' : 'Send the body with a Content-Length',
    }),
  );
  return true;
}
