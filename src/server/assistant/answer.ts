import { z } from 'zod';
import { INTENT_KINDS } from './intents';

export const answerContactSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable().optional(),
  /** What the answer says about them: "14 emails", "last on 4 May 2001". */
  detail: z.string().optional(),
});

export const answerEmailSchema = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  from: z.string().nullable(),
  sentAt: z.string().nullable(),
  threadId: z.string().nullable(),
});

/** What either engine answers: the text, and the records it stands on. */
export const answerSchema = z.object({
  answer: z.string(),
  intent: z.enum(INTENT_KINDS as [string, ...string[]]),
  engine: z.enum(['builtin', 'model']),
  /** Contacts in the order the answer names them. */
  contacts: z.array(answerContactSchema),
  value: z.number().nullable(),
  datetime: z.string().nullable(),
  emails: z.array(answerEmailSchema).default([]),
  /** Questions worth asking next (always given when the question was not understood). */
  suggestions: z.array(z.string()).default([]),
  understood: z.boolean(),
  /** Why the built-in engine answered a question meant for the model, when it did. */
  notice: z.string().optional(),
});

export type Answer = z.infer<typeof answerSchema>;
export type AnswerContact = z.infer<typeof answerContactSchema>;
export type AnswerEmail = z.infer<typeof answerEmailSchema>;

/** "Keith Holst (keith.holst@enron.com)", or the address alone. */
export const personLabel = (p: { name: string | null; email: string }) =>
  p.name ? `${p.name} (${p.email})` : p.email;

export const shortLabel = (p: { name: string | null; email: string }) => p.name ?? p.email;

export function formatDate(d: Date, timeZone = 'UTC', withTime = true) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    ...(timeZone === 'UTC' && withTime ? { timeZoneName: 'short' } : {}),
  }).format(d);
}

export { formatHours } from '@/lib/format-duration';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a, b and c" */
export function listText(items: string[], max = 10) {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) shown.push(`${more} more`);
  if (shown.length <= 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

export { everyText } from '@/lib/format-duration';
