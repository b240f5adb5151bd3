import type { Period } from './periods';

/** Mail between the owner and someone, seen from the owner. */
export type Direction = 'sent' | 'received' | 'both';
export type TopMetric = 'sent' | 'received' | 'total' | 'strength' | 'recent';
export type InfoField = 'company' | 'title' | 'phone' | 'email' | 'links' | 'location';

/** Who or what the question names, as written; resolved against the user's contacts later. */
export type EntityRef = {
  text: string;
  /** What the wording suggests it is: "at JPMorgan" is a company, "to Keith" a person. */
  hint: 'person' | 'company' | 'either';
};

/** The questions the built-in engine answers, with their parameters. */
export type Intent =
  | { kind: 'top_contacts'; metric: TopMetric; limit: number; period?: Period; company?: EntityRef }
  | { kind: 'going_cold'; limit: number }
  | { kind: 'replies_owed'; limit: number }
  | { kind: 'count_emails'; person?: EntityRef; direction: Direction; period?: Period }
  /** `people`: "who wrote last?" wants the latest person, not the latest message. */
  | { kind: 'last_contact'; person?: EntityRef; direction: Direction; people?: boolean }
  | { kind: 'first_contact'; person?: EntityRef; direction: Direction; people?: boolean }
  | { kind: 'people_at_company'; company: EntityRef; direction: Direction | 'any'; count: boolean }
  | {
      kind: 'people_emailed';
      direction: Direction | 'any';
      period?: Period;
      company?: EntityRef;
      count: boolean;
    }
  | { kind: 'response_time'; person?: EntityRef; who: 'them' | 'me' }
  | { kind: 'emails_about'; topic: string; person?: EntityRef; period?: Period; count: boolean }
  | { kind: 'contact_info'; person?: EntityRef; field: InfoField }
  /** `implicit`: the question was only a name, so a name that finds no one is not understood. */
  | { kind: 'contact_summary'; person?: EntityRef; implicit?: boolean }
  | { kind: 'introduced'; person?: EntityRef }
  | { kind: 'help' }
  | { kind: 'unknown'; reason: string };

export type IntentKind = Intent['kind'];

/** The seed's QueryContext: where the question was asked from. */
export type QueryContext = {
  /** Asked from a contact page: "when did we last talk?" is about this contact. */
  contactId?: string;
  /** The asker's IANA time zone, for "last week" and "in December". Default UTC. */
  timeZone?: string;
  /** "Now", for relative dates; tests and evaluations pin it. */
  now?: Date;
};

export const INTENT_KINDS: IntentKind[] = [
  'top_contacts',
  'going_cold',
  'replies_owed',
  'count_emails',
  'last_contact',
  'first_contact',
  'people_at_company',
  'people_emailed',
  'response_time',
  'emails_about',
  'contact_info',
  'contact_summary',
  'introduced',
  'help',
  'unknown',
];
