import type { Auth } from './auth';

/** better-auth's handler, with the standard Retry-After on 429 (it sends X-Retry-After). */
export async function handleAuthRequest(auth: Auth, req: Request): Promise<Response> {
  const res = await auth.handler(req);
  const retryAfter = res.headers.get('X-Retry-After');
  if (res.status !== 429 || !retryAfter || res.headers.has('Retry-After')) return res;
  const headers = new Headers(res.headers);
  headers.set('Retry-After', retryAfter);
  return new Response(res.body, { status: res.status, headers });
}
