import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
  it('keeps a path of the app, with its query and hash', () => {
    expect(safeNextPath('/contacts?q=ann#top')).toBe('/contacts?q=ann#top');
    expect(safeNextPath('/ask')).toBe('/ask');
  });

  it('sends anything that would leave the app to the dashboard', () => {
    for (const next of [
      null,
      '',
      'https://evil.example/',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/.//evil.example',
      '/%0a//evil.example'.replace('%0a', '\n'),
      'javascript:alert(1)',
      ' /contacts',
    ])
      expect(safeNextPath(next), JSON.stringify(next)).toBe('/');
  });
});
