import { describe, expect, it } from 'vitest';
import { vcardText } from './export-contacts';

describe('vcardText', () => {
  it('escapes what vCard 3.0 escapes', () => {
    expect(vcardText('a\\b, c; d\ne')).toBe('a\\\\b\\, c\\; d\\ne');
  });

  it('leaves no line break or control character that could start a property of its own', () => {
    const hostile =
      'one\rEND:VCARD\r\nBEGIN:VCARD\rFN:Mallory\u000bX\u0000Y\u001b[31mZ\u007f\u0085\u2028end';
    const out = vcardText(hostile);
    expect(out).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    // Each break is kept as the escaped newline a reader shows as one.
    expect(out).toBe('one\\nEND:VCARD\\nBEGIN:VCARD\\nFN:Mallory X Y [31mZ \\n\\nend');
  });
});
