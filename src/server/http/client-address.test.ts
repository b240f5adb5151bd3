import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

const req = (forwarded?: string | string[]) =>
  ({
    socket: { remoteAddress: '10.0.0.2' },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as http.IncomingMessage;

describe('clientAddress', () => {
  it('is the socket’s address unless a proxy is trusted, whatever the client claims', () => {
    expect(clientAddress(req('203.0.113.7'), false)).toBe('10.0.0.2');
  });

  it('behind a trusted proxy, is the hop the proxy appended: the right-most', () => {
    expect(clientAddress(req('203.0.113.7'), true)).toBe('203.0.113.7');
    expect(clientAddress(req('1.2.3.4, 5.6.7.8,203.0.113.7'), true)).toBe('203.0.113.7');
    expect(clientAddress(req(['1.2.3.4', '203.0.113.7']), true)).toBe('203.0.113.7');
    expect(clientAddress(req(' , '), true)).toBe('10.0.0.2');
    expect(clientAddress(req(), true)).toBe('10.0.0.2');
  });
});
