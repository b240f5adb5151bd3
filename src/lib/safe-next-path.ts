const BASE = 'http://rapport.invalid';

/**
 * Where to go after signing in: a path of this app, or the dashboard. `next` comes from the
 * URL, so anyone can write it: `//evil.example`, `/\evil.example` (browsers read `\` as `/`)
 * or a tab inside the slashes all lead to another site. It is resolved as a browser would and
 * kept only when it stays here and cannot be read as another host again.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === BASE && !/^[/\\]{2}/.test(path) ? path : '/';
}
