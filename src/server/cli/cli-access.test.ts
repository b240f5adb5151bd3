import { describe, expect, it } from 'vitest';
import { handleCliRequest } from './cli-http-handler';
import { isLocalCliClient, LOCAL_CLIENT_HEADER, loopbackUrl } from './cli-access';
import { issueCliToken } from './cli-token';

describe('who may use /api/cli', () => {
  it('is a connection over loopback that no proxy relayed', () => {
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      isLocalCliClient({ socket: { remoteAddress }, headers });
    expect(from('127.0.0.1')).toBe(true);
    expect(from('127.8.9.10')).toBe(true);
    expect(from('::1')).toBe(true);
    expect(from('::ffff:127.0.0.1')).toBe(true);
    expect(from('192.0.2.2')).toBe(false);
    expect(from('::ffff:192.0.2.2')).toBe(false);
    expect(from('fd00::2')).toBe(false);
    expect(from('')).toBe(false);
    // A reverse proxy on the same machine connects over loopback for a client elsewhere.
    expect(from('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe(false);
    expect(from('127.0.0.1', { forwarded: 'for=203.0.113.9' })).toBe(false);
  });

  it('is reached by the CLI at the loopback address of the interface the server binds', () => {
    expect(loopbackUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(loopbackUrl('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(loopbackUrl('localhost', 3000)).toBe('http://127.0.0.1:3000');
    expect(loopbackUrl('::', 3000)).toBe('http://[::1]:3000');
    expect(loopbackUrl('::1', 3000)).toBe('http://[::1]:3000');
    expect(loopbackUrl('192.0.2.2', 3000)).toBeNull();
  });

  it('refuses a request the web server did not vouch for, even with the token', async () => {
    const token = issueCliToken();
    const call = (headers: Record<string, string>) =>
      handleCliRequest(
        new Request('http://127.0.0.1:3000/api/cli', {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...headers,
          },
          body: JSON.stringify({ not: 'a command' }),
        }),
      );
    expect((await call({})).status).toBe(403);
    // Vouched for (the server sets this only on local connections, and strips it otherwise):
    // on to reading the body, which is not a command.
    expect((await call({ [LOCAL_CLIENT_HEADER]: '1' })).status).toBe(400);
  });
});
