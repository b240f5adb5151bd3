import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './src/server/http/security-headers';

const config: NextConfig = {
  // PGlite loads its WASM and data files next to its own module: never bundle it.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss'],
  poweredByHeader: false,
  typedRoutes: false,
  // Every response; the pages' Content-Security-Policy (with its per-request nonce) is set in
  // src/proxy.ts.
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default config;
