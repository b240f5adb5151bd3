import { NextResponse, type NextRequest } from 'next/server';

/**
 * The Content Security Policy of every page, with a fresh nonce per request: only scripts
 * Next.js itself renders (they carry the nonce, and 'strict-dynamic' lets them load the app's
 * chunks) run; injected markup runs nothing. Styles may be inline (React style attributes,
 * toasts). Images: the app's own, data: URLs, and https avatars from enrichment. Nothing may
 * frame the app. Email HTML is shown in a sandboxed iframe with its own, stricter policy
 * (EMAIL_FRAME_CSP).
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development') {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = contentSecurityPolicy(nonce);
  // Next.js reads the policy (and its nonce) from the request to put the nonce on its scripts.
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: API answers are JSON, files are files.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
