import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import type { Db } from '@/server/db/client';
import { handleTrpcRequest } from './http-handler';

/** A database whose every call fails the way a real outage does: with internals in the text. */
const broken = new Proxy(
  {},
  {
    get() {
      throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (relation "secret_table")');
    },
  },
) as Db;

describe('internal errors over HTTP', () => {
  it('answer a generic 500: the details go to the log, not to the user', async () => {
    const res = await handleTrpcRequest(
      new Request('http://app.test/api/trpc/senderRules.list'),
      async () => ({
        db: broken,
        env: parseEnv({ NODE_ENV: 'development' }),
        user: { id: 'u1', email: 'u1@x.test', name: 'U' },
        jobs: () => Promise.reject(new Error('no queue')),
      }),
    );
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toMatch(/10\.1\.2\.3|ECONNREFUSED|secret_table|at .*\.ts/);
    expect(JSON.parse(body)).toMatchObject({
      error: { json: { message: 'Internal error', data: { code: 'INTERNAL_SERVER_ERROR' } } },
    });
  });
});
