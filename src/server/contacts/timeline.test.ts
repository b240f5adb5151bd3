import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './timeline';

describe('sanitizeEmailHtml', () => {
  it('removes scripts, handlers, frames, forms and javascript: links', () => {
    const out = sanitizeEmailHtml(
      `<p onclick="x()">Hi<script>alert(1)</script></p><img src=x onerror="alert(2)"><iframe src="https://evil.test"></iframe>
       <form action="https://evil.test"><input name=a></form><a href="javascript:alert(3)">click</a><svg onload="alert(4)"></svg>`,
    );
    expect(out).not.toMatch(/script|onerror|onclick|onload|iframe|<form|<input|javascript:|<svg/i);
    expect(out).toContain('Hi');
  });

  it('drops remote images (tracking pixels) but keeps inline ones, and opens links outside', () => {
    const out = sanitizeEmailHtml(
      `<img src="https://track.test/p.gif" width=1><img src="data:image/png;base64,iVBOR" alt="logo"><a href="https://site.test">site</a>`,
    );
    expect(out).not.toContain('track.test');
    expect(out).toContain('data:image/png;base64,iVBOR');
    expect(out).toContain('target="_blank"');
    expect(out).toContain('rel="noopener noreferrer nofollow"');
  });

  it('lets no style load anything', () => {
    const out = sanitizeEmailHtml(`<div style="background:url(https://track.test/x.png)">x</div>`);
    expect(out).not.toMatch(/url\s*\(/i);
  });
});
