import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

function issuesOf(source: Record<string, string>) {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return (err as EnvError).issues;
  }
  throw new Error('expected parseEnv to fail');
}

describe('parseEnv', () => {
  it('runs with no configuration at all (the embedded default)', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.RAPPORT_DATA_DIR).toBe('./data');
    expect(env.PORT).toBe(3000);
    // Reachable from this machine only until the operator says otherwise.
    expect(env.HOST).toBe('127.0.0.1');
    // Uploads: a large Takeout fits; a disk-filling one does not (the operator can raise both).
    expect(env.MAX_UPLOAD_BYTES).toBe(2 * 1024 ** 3);
    expect(env.MAX_DECOMPRESSED_BYTES).toBe(10 * 1024 ** 3);
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', BETTER_AUTH_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable', () => {
    const issues = issuesOf({
      DATABASE_URL: 'mysql://x',
      PORT: 'eighty',
      BETTER_AUTH_SECRET: 'short',
    });
    expect(issues.map((i) => i.variable).sort()).toEqual([
      'BETTER_AUTH_SECRET',
      'DATABASE_URL',
      'PORT',
    ]);
    const message = new EnvError(issues).message;
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  });

  it('wants Google credentials in pairs', () => {
    expect(issuesOf({ GOOGLE_CLIENT_ID: 'id' })).toEqual([
      expect.objectContaining({ variable: 'GOOGLE_CLIENT_SECRET' }),
    ]);
    expect(parseEnv({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's' }).GOOGLE_CLIENT_ID).toBe(
      'id',
    );
  });
});
