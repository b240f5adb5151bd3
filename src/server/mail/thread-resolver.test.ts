import { describe, expect, it } from 'vitest';
import { resolveThreads, type ThreadInput } from './thread-resolver';

const owner = new Set(['me@x.com']);
const at = (day: number) => new Date(Date.UTC(2026, 0, day));
const msg = (key: string, over: Partial<ThreadInput>): ThreadInput => ({
  key,
  messageId: key,
  providerThreadId: null,
  inReplyTo: null,
  references: [],
  subjectNorm: '',
  participants: [],
  sentAt: at(1),
  ...over,
});
const empty = () => ({ byMessageId: new Map<string, string>(), bySubject: new Map() });

describe('resolveThreads', () => {
  it('prefers the provider thread id', () => {
    const t = resolveThreads(
      [msg('a', { providerThreadId: '17c', references: ['zz'] })],
      empty(),
      owner,
    );
    expect(t.get('a')).toBe('gm:17c');
  });

  it('follows References chains, even when a reply arrives before its parent', () => {
    const t = resolveThreads(
      [
        msg('r2', { references: ['root', 'r1'], inReplyTo: 'r1', sentAt: at(3) }),
        msg('root', {
          sentAt: at(1),
          subjectNorm: 'plan',
          participants: ['me@x.com', 'dana@y.com'],
        }),
        msg('r1', { inReplyTo: 'root', sentAt: at(2) }),
      ],
      empty(),
      owner,
    );
    expect(new Set(t.values())).toEqual(new Set(['mid:root']));
  });

  it('joins a stored thread through a referenced stored message', () => {
    const known = empty();
    known.byMessageId.set('old', 'gm:abc');
    const t = resolveThreads([msg('new', { inReplyTo: 'old' })], known, owner);
    expect(t.get('new')).toBe('gm:abc');
  });

  it('threads header-less mail by subject and a shared participant other than the owner, within a window', () => {
    const dana = ['me@x.com', 'dana@y.com'];
    const t = resolveThreads(
      [
        msg('a', { subjectNorm: 'gas contracts', participants: dana, sentAt: at(1) }),
        msg('b', {
          subjectNorm: 'gas contracts',
          participants: ['dana@y.com', 'me@x.com', 'sam@y.com'],
          sentAt: at(2),
        }),
        // Same subject, only the owner in common: another conversation.
        msg('c', {
          subjectNorm: 'gas contracts',
          participants: ['me@x.com', 'rob@z.com'],
          sentAt: at(2),
        }),
        // Same people, months later: a new conversation.
        msg('d', { subjectNorm: 'gas contracts', participants: dana, sentAt: at(200) }),
      ],
      empty(),
      owner,
    );
    expect(t.get('b')).toBe(t.get('a'));
    expect(t.get('c')).not.toBe(t.get('a'));
    expect(t.get('d')).not.toBe(t.get('a'));
  });
});
