/**
 * The headers every response carries (next.config.ts sets them on what Next.js serves, the app
 * server on the API it answers itself). The pages' Content-Security-Policy, with its
 * per-request nonce, is set in src/proxy.ts.
 */
export const SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  },
  // Browsers heed this only over HTTPS, where it keeps them there.
  { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
];
