import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite loads its WASM and data files next to its own module: never bundle it.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss'],
  poweredByHeader: false,
  typedRoutes: false,
  // Every response; the pages' Content-Security-Policy (with its per-request nonce) is set in
  // src/proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
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
        ],
      },
    ];
  },
};

export default config;
