import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite loads its WASM and data files next to its own module: never bundle it.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
