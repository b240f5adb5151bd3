import type { ParsedMessage } from '@/server/mail/parsed-message';
import { getDomainWithoutSuffix } from 'tldts';
import { cleanDisplayName } from './display-name';
import { othersTextStart } from './reply-zones';

export type Classification = { isHuman: boolean; reason: string };

const ROLE_LOCAL_PART =
  /^(no-?reply|do-?not-?reply|donotreply|noreply-.*|mailer-daemon|postmaster|bounces?|bounce-.*|notifications?|notify|alerts?|newsletters?|news|mailer|digest|announce(ments)?|updates?|listserv|majordomo|webmaster|root|daemon|automated|auto-?confirm|receipts?|billing|invoices?|.*-(request|bounces|owner|admin|announce|digest|notifications?)|owner-.*)$/i;

/** Words that, as a whole part of the local part (split on . _ -), name a role or a machine. */
const ROLE_WORDS = new Set([
  'noreply',
  'donotreply',
  'reply',
  'info',
  'news',
  'newsletter',
  'newsletters',
  'alert',
  'alerts',
  'notice',
  'notices',
  'notification',
  'notifications',
  'announce',
  'announcement',
  'announcements',
  'admin',
  'administrator',
  'administration',
  'support',
  'service',
  'services',
  'customer',
  'customerservice',
  'sales',
  'marketing',
  'billing',
  'edelivery',
  'eservices',
  'feeds',
  'rss',
  'rssfeeds',
  'digest',
  'advisory',
  'mailer',
  'webmaster',
  'postmaster',
  'hr',
  'jobs',
  'careers',
  'press',
  'events',
  'updates',
  'store',
  'shop',
  'deals',
  'offers',
  'promo',
  'promotions',
  'chairman',
  'communications',
  'help',
  'helpdesk',
  'team',
  'office',
  'insideralerts',
  'issuealert',
  'exchangeinfo',
  'geninfo',
  'confnews',
  'sweeps',
  'volunteer',
  'subscriptions',
  'orders',
  'receipts',
  'accounts',
  'security',
  'perfmgmt',
  'mgmt',
  'listmaster',
  'distribution',
  'robot',
  'bot',
  'daemon',
  'system',
  'automated',
  'settlements',
  'unsubscribe',
  'subscribe',
  'subscription',
  'bulletin',
  'mailings',
  'editor',
  'editors',
  'daily',
  'weekly',
  'monthly',
]);

/** Role words long enough that a local part ending in one is a role's ("…communications"). */
const LONG_ROLE_WORDS = [...ROLE_WORDS].filter((w) => w.length >= 9);

/** Sending hosts of bulk mail ("alerts.weather.com", "bounce.winxpnews.com"). */
const BULK_HOST_LABEL =
  /^(em|news|newsletter|info|alerts?|bounces?|lists|reply|notify|notifications|mkt|marketing|promo|campaigns?|mailer|mailman|feedback)$/i;

/** Words that make a display name a desk, a feed or a body rather than a person. */
const GROUP_NAME_WORDS =
  /\b(committee|council|board|desk|team|group|department|dept|operations|ops|status|real-?time|alerts?|notifications?|newsletters?|bulletin|helpdesk|help desk|support|services?|customer|subscribers?|members|everyone|all staff|distribution|mailing list)\b/i;

/**
 * What the address's display name in this message says: a desk or a committee ("Market
 * Status", "US REGULATORY COMMITTEE"), or the organisation itself ("FairAir" on fairair.com).
 */
function displayNameSignal(email: string, displayName: string | null | undefined): string | null {
  // As written: a name that is just the address's own words is still a name here.
  const name = displayName?.replace(/^["'\s]+|["'\s]+$/g, '');
  if (!name || name.includes('@')) return null;
  // "Dana Lee (Support)", "Dana Lee - Customer Care": a person with their desk.
  const withDesk = /\(|\s[-–|]\s/.test(name);
  if (!withDesk && GROUP_NAME_WORDS.test(name)) return `group or desk name (${name})`;
  const domain = getDomainWithoutSuffix(email.split('@')[1] ?? '')?.toLowerCase();
  const squashed = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  // A brand's shape ("FairAir", "iSilo"); a person's name on their own domain ("Ben Hammersley"
  // on benhammersley.com, "Waider" on waider.ie) is not one.
  const brandLike = !/\s/.test(name) && /[a-z][A-Z0-9]/.test(name);
  if (brandLike && domain && domain.length >= 4 && squashed === domain.replace(/[^a-z0-9]+/g, ''))
    return `the organisation's own name (${name})`;
  return null;
}

/** TMDA's dated and keyword addresses ("cwg-dated-1030810636.135787@"): a person's, tagged. */
const TMDA_TAG = /^([a-z0-9._]+)-(dated|keyword|sender)-[0-9a-z.+=_-]+$/i;

/** roleSignal's answers by address: an address recurs in message after message. */
const roleSignals = new Map<string, string | null>();
const ROLE_SIGNALS_KEPT = 100_000;

function roleSignal(email: string): string | null {
  let signal = roleSignals.get(email);
  if (signal === undefined) {
    if (roleSignals.size >= ROLE_SIGNALS_KEPT) roleSignals.clear();
    roleSignals.set(email, (signal = addressRoleSignal(email)));
  }
  return signal;
}

function addressRoleSignal(email: string): string | null {
  const [tagged, host = ''] = email.split('@') as [string, string];
  const local = TMDA_TAG.exec(tagged)?.[1] ?? tagged;
  if (ROLE_LOCAL_PART.test(local)) return `role address (${local}@)`;
  // "1.10969419.-2@…": numbers only, as mailing systems mint them per recipient.
  if ((/^[\d._+-]+$/.test(local) && (local.match(/\d/g)?.length ?? 0) >= 6) || /\d{6,}/.test(local))
    return `machine-generated address (${local}@)`;
  const words = local
    .toLowerCase()
    .split(/[._+-]+/)
    .filter(Boolean);
  const role = words.find((w) => ROLE_WORDS.has(w.replace(/\d+$/, '')));
  if (role) return `role word in the address (${role})`;
  // A long role word closing a run-together local part ("crcommunications", "energynewsletter"):
  // no person's address ends that way.
  const bare = local.toLowerCase().replace(/\d+$/, '');
  const closing = LONG_ROLE_WORDS.find((w) => bare.length > w.length && bare.endsWith(w));
  if (closing) return `role word in the address (${closing})`;
  const labels = host.toLowerCase().split('.');
  if (labels.length >= 3 && BULK_HOST_LABEL.test(labels[0]!)) return `bulk-mail host (${host})`;
  if (labels.some((l) => l === 'reply' || l === 'bounce')) return `bulk-mail host (${host})`;
  // "mail02.example.com": a numbered sending machine, not a person's mailbox domain.
  if (labels.length >= 3 && /^(mail|smtp|mx|mta|out|send|bulk|mailer)\d+$/.test(labels[0]!))
    return `bulk-mail host (${host})`;
  return null;
}

/** The list's own address, from List-Id ("<ilug.linux.ie>" → ilug@linux.ie). */
function listIdAddress(m: ParsedMessage): string | null {
  const id = /<?([a-z0-9._-]+)>?\s*$/i.exec(m.headers['list-id'] ?? '')?.[1]?.toLowerCase();
  const dot = id?.indexOf('.') ?? -1;
  return id && dot > 0 ? `${id.slice(0, dot)}@${id.slice(dot + 1)}` : null;
}

/** "Bob Musser" <bobm@…>: a person's name that the address agrees with. */
function personalSender(email: string, displayName: string | null | undefined) {
  const name = cleanDisplayName(displayName, email);
  if (!name) return false;
  const words = name.split(/\s+/);
  // "Mark E Haedicke": a middle initial is part of a person's name.
  if (
    words.length < 2 ||
    words.length > 4 ||
    !words.every((w) => /^[A-Z][a-z'.-]+$/.test(w) || /^[A-Z]\.?$/.test(w))
  )
    return false;
  const local = email.split('@')[0]!.toLowerCase();
  return words.some((w) => w.length >= 3 && local.includes(w.toLowerCase().slice(0, 3)));
}

function listPostAddress(m: ParsedMessage): string | null {
  const post = m.headers['list-post'];
  const match = post ? /mailto:([^>\s?]+)/i.exec(post) : null;
  return match ? match[1]!.toLowerCase() : null;
}

/** A discussion list (mailman and friends): its posters are people, whatever bulk headers it adds. */
export function isDiscussionList(m: ParsedMessage) {
  return Boolean(
    m.headers['list-post'] ||
    m.headers['list-id'] ||
    m.headers['x-beenthere'] ||
    m.headers['x-mailing-list'] ||
    m.headers['mailing-list'],
  );
}

/** Whether the message as a whole was sent by a machine (bulk, automated, marketing). */
export function bulkSignal(m: ParsedMessage): string | null {
  const h = m.headers;
  if (isDiscussionList(m) && !h['auto-submitted']) return null;
  const precedence = h['precedence']?.toLowerCase().trim();
  const auto = h['auto-submitted']?.toLowerCase().trim();
  if (auto && auto !== 'no' && !auto.startsWith('auto-replied')) return `Auto-Submitted: ${auto}`;
  if (h['list-unsubscribe'] && !h['list-post'])
    return 'List-Unsubscribe without List-Post (bulk mail)';
  if (precedence === 'bulk' || precedence === 'junk') return `Precedence: ${precedence}`;
  if (
    h['feedback-id'] ||
    h['x-campaign'] ||
    h['x-sg-eid'] ||
    h['x-ses-outgoing'] ||
    h['x-mailgun-tag']
  ) {
    return 'bulk-sender headers';
  }
  return null;
}

/** A mailing's footer: how to stop receiving it, which a person's own mail does not carry. */
const UNSUBSCRIBE_FOOTER =
  /\b(to unsubscribe|click here to (unsubscribe|be removed)|unsubscribe (from|at|here)\b|opt[- ]?out\b|(if you )?(no longer wish|do not wish) to receive|to be removed from (our|this|the) (mailing |e-?mail )?list|you (are receiving|received|have received) this (e-?mail|message|newsletter|mailing) (because|as a)|manage your (e-?mail )?(subscriptions?|preferences)|update your (e-?mail |subscription )?preferences)/i;
/**
 * A discussion list's own footer (majordomo, listserv, Yahoo Groups: "send … unsubscribe … in
 * the body", "foo-unsubscribe@"): its posters are people, even where the list adds no headers.
 */
const LIST_SERVER_FOOTER =
  /majordomo|listserv|mailman|lyris|ezmlm|in the body|-unsubscribe@|-request@|this group\b|listinfo/i;
/** A mailing is longer than a note asking how to leave one. */
const FOOTER_MIN_TEXT = 1000;
/** The footer is in the message's last this many characters. */
const FOOTER_TAIL = 2000;

/**
 * The message's own footer tells how to unsubscribe: a mailing sent by a machine (old
 * newsletters and spam carry no bulk headers). Not when the footer is in a quoted or forwarded
 * message, and not in a short note (a person asking how to leave a list).
 */
function unsubscribeFooter(m: ParsedMessage): string | null {
  const text = m.text;
  if (!text || text.length < FOOTER_MIN_TEXT) return null;
  const tailAt = Math.max(0, text.length - FOOTER_TAIL);
  const tail = text.slice(tailAt);
  const footer = UNSUBSCRIBE_FOOTER.exec(tail);
  if (!footer || LIST_SERVER_FOOTER.test(tail.slice(footer.index))) return null;
  const others = othersTextStart(text);
  if (others >= 0 && others < tailAt + footer.index) return null;
  return `unsubscribe footer ("${footer[0]}")`;
}

/** Each address of a message with the name it first appears under (From, To, Cc, Bcc, Reply-To). */
const messageNames = new WeakMap<ParsedMessage, Map<string, string | null | undefined>>();
function namesOf(m: ParsedMessage) {
  let names = messageNames.get(m);
  if (!names) {
    names = new Map();
    for (const a of [m.from, ...m.to, ...m.cc, ...m.bcc, ...m.replyTo]) {
      if (a && !names.has(a.email)) names.set(a.email, a.name);
    }
    messageNames.set(m, names);
  }
  return names;
}

/**
 * A first human/robot decision for one address in one message, with its reason. Discussion
 * lists (List-Post) keep their posters human; the list address itself is not.
 */
export function classifyParticipant(
  email: string,
  role: 'from' | 'to' | 'cc' | 'bcc' | 'reply_to',
  m: ParsedMessage,
): Classification {
  const roleReason = roleSignal(email);
  if (roleReason) return { isHuman: false, reason: roleReason };
  if (email === listPostAddress(m) || email === listIdAddress(m)) {
    return { isHuman: false, reason: 'mailing list address (List-Post / List-Id)' };
  }
  const groupName = displayNameSignal(email, namesOf(m).get(email));
  if (groupName) return { isHuman: false, reason: groupName };
  if (role === 'from') {
    const bulk = bulkSignal(m) ?? (isDiscussionList(m) ? null : unsubscribeFooter(m));
    // Bulk headers alone do not outweigh a person's own name on a personal address.
    if (bulk && !personalSender(email, m.from?.name)) return { isHuman: false, reason: bulk };
  }
  return { isHuman: true, reason: 'personal address' };
}
