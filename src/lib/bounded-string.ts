import { z } from 'zod';

/**
 * A string refused past `max` characters before any later check reads it. zod runs every check
 * of a string even after one failed, so a plain `.max()` before a pattern or a refinement still
 * lets the pattern read megabytes; this one stops there (`abort`).
 */
export const boundedString = (max: number) => z.string().max(max, { abort: true });

/** An email address (254 characters at most, RFC 5321), its format checked only once bounded. */
export const boundedEmail = () => boundedString(254).pipe(z.email());

/** A URL, its format checked only once bounded. */
export const boundedUrl = (max = 2048) => boundedString(max).pipe(z.url());
