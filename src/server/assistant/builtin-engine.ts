import { repliesOwed } from '@/server/analytics/replies-owed';
import { formatAgo } from '@/lib/format-duration';
import type { DbOrTx } from '@/server/db/client';
import {
  everyText,
  formatDate,
  formatHours,
  listText,
  personLabel,
  plural,
  shortLabel,
  type Answer,
  type AnswerContact,
} from './answer';
import type { EntityRef, Intent, QueryContext } from './intents';
import {
  coldPeople,
  companyName,
  contactProfile,
  countMessages,
  findPeople,
  introducer,
  messageAt,
  overallReplyTimes,
  peopleAtCompany,
  peopleInEmails,
  peopleWithMail,
  searchEmails,
  topPeople,
  type CountedRow,
  type PersonRow,
} from './network-data';
import { parseQuestion } from './parse-question';
import type { Period } from './periods';

/**
 * The built-in engine: no model, answers from SQL. Every answer carries the contacts, value or
 * date it stands on, so the web app can link them and the evaluation can score them.
 */

type Ctx = { db: DbOrTx; userId: string; zone: string; context: QueryContext };

type Subject =
  | { kind: 'person'; person: PersonRow; others: PersonRow[] }
  | { kind: 'company'; name: string; text: string; contactIds: string[] };

const contactOf = (p: PersonRow | CountedRow, detail?: string): AnswerContact => ({
  id: p.id,
  email: p.email,
  name: p.name,
  company: p.company,
  ...(detail ? { detail } : {}),
});

function base(intent: Intent): Answer {
  return {
    answer: '',
    intent: intent.kind,
    engine: 'builtin',
    contacts: [],
    value: null,
    datetime: null,
    emails: [],
    suggestions: [],
    understood: intent.kind !== 'unknown',
  };
}

const periodText = (p?: Period | null) =>
  p ? ` ${p.label.replace(/^(in|during|on)\s+/i, 'in ')}` : '';

/** Resolves what the question named, or the contact the question was asked from. */
async function subjectOf(
  ctx: Ctx,
  ref: EntityRef | undefined,
): Promise<Subject | null | 'missing'> {
  if (!ref) {
    if (!ctx.context.contactId) return 'missing';
    const p = await contactProfile(ctx.db, ctx.userId, ctx.context.contactId);
    return p ? { kind: 'person', person: p, others: [] } : null;
  }
  if (ref.hint !== 'company') {
    const people = await findPeople(ctx.db, ctx.userId, ref.text);
    const best = people[0];
    if (best && (best.score >= 60 || ref.hint === 'person')) {
      return {
        kind: 'person',
        person: best,
        others: people.slice(1).filter((p) => p.score === best.score),
      };
    }
  }
  const company = await peopleAtCompany(ctx.db, ctx.userId, ref.text, 5000);
  if (company.total > 0) {
    return {
      kind: 'company',
      text: ref.text,
      name: (await companyName(ctx.db, ctx.userId, ref.text)) ?? ref.text,
      contactIds: company.people.map((p) => p.id),
    };
  }
  if (ref.hint === 'company') return null;
  const weak = (await findPeople(ctx.db, ctx.userId, ref.text))[0];
  return weak ? { kind: 'person', person: weak, others: [] } : null;
}

const subjectName = (s: Subject) =>
  s.kind === 'person' ? personLabel(s.person) : `people at ${s.name}`;
const subjectIds = (s: Subject) => (s.kind === 'person' ? [s.person.id] : s.contactIds);
const subjectContacts = (s: Subject) => (s.kind === 'person' ? [contactOf(s.person)] : []);

function notFound(answer: Answer, ref: EntityRef | undefined, what = 'anyone') {
  answer.answer = ref
    ? `I couldn't find ${what} called "${ref.text}" in your contacts.`
    : 'Who do you mean? Name a person or an address, or ask from their contact page.';
  return answer;
}

function ambiguity(s: Subject) {
  if (s.kind !== 'person' || s.others.length === 0) return '';
  return ` (I took ${shortLabel(s.person)}; also matching: ${listText(s.others.map(personLabel), 3)}.)`;
}

async function run(ctx: Ctx, intent: Intent): Promise<Answer> {
  const a = base(intent);
  const { db, userId, zone } = ctx;
  switch (intent.kind) {
    case 'top_contacts': {
      const company = intent.company ? await companyName(db, userId, intent.company.text) : null;
      const people = await topPeople(db, userId, {
        metric: intent.metric,
        limit: intent.limit,
        period: intent.period,
        company: intent.company?.text,
      });
      const what = {
        sent: 'emails you sent them',
        received: 'emails they sent you',
        total: 'emails exchanged',
        strength: 'relationship strength',
        recent: 'most recent contact',
      }[intent.metric];
      a.contacts = people.map((p) =>
        contactOf(
          p,
          intent.metric === 'recent'
            ? p.at
              ? `last ${formatDate(p.at, zone, false)}`
              : undefined
            : plural(p.n, 'email'),
        ),
      );
      const scope = `${company || intent.company ? ` at ${company ?? intent.company!.text}` : ''}${periodText(intent.period)}`;
      if (people.length === 0) {
        a.answer = `I found no one${scope} with mail to rank.`;
        return a;
      }
      const [first] = people;
      a.value = intent.metric === 'strength' || intent.metric === 'recent' ? null : first!.n;
      a.answer =
        intent.metric === 'recent'
          ? `The people you have been in touch with most recently${scope}: ${listText(people.map((p) => `${shortLabel(p)}${p.at ? ` (${formatDate(p.at, zone, false)})` : ''}`))}.`
          : `By ${what}${scope}, ${personLabel(first!)} comes first${intent.metric === 'strength' ? '' : ` with ${plural(first!.n, 'email')}`}.` +
            (people.length > 1
              ? ` Then ${listText(people.slice(1).map((p) => (intent.metric === 'strength' ? shortLabel(p) : `${shortLabel(p)} (${p.n})`)))}.`
              : '');
      return a;
    }

    case 'going_cold': {
      const people = await coldPeople(db, userId, intent.limit);
      a.contacts = people.map((p) =>
        contactOf(p, p.at ? `last ${formatDate(p.at, zone, false)}` : undefined),
      );
      a.value = people.length;
      a.answer =
        people.length === 0
          ? 'No one is going cold: everyone you correspond with regularly is still within their usual rhythm.'
          : `Going cold (silent for much longer than usual): ${listText(
              people.map(
                (p) =>
                  `${shortLabel(p)} (last ${p.at ? formatDate(p.at, zone, false) : 'unknown'}${p.usualGapDays !== null ? `, usually ${everyText(p.usualGapDays)}` : ''})`,
              ),
            )}.`;
      return a;
    }

    case 'replies_owed': {
      const rows = await repliesOwed(db, userId, intent.limit);
      a.contacts = rows.map((r) => contactOf(r, r.subject ?? undefined));
      a.emails = rows.map((r) => ({
        id: r.emailId,
        subject: r.subject,
        from: r.email,
        sentAt: r.at?.toISOString() ?? null,
        threadId: r.threadId,
      }));
      a.value = rows.length;
      a.answer =
        rows.length === 0
          ? 'You owe no replies: every recent conversation with the people you write to ends with you.'
          : `${plural(rows.length, 'conversation')} wait${rows.length === 1 ? 's' : ''} for your reply: ${listText(
              rows.map(
                (r) =>
                  `${shortLabel(r)} — "${r.subject ?? '(no subject)'}" (${r.at ? formatDate(r.at, zone, false) : ''})`,
              ),
            )}.`;
      return a;
    }

    case 'count_emails': {
      const s = await subjectOf(ctx, intent.person);
      if (s === null) return notFound(a, intent.person);
      if (s === 'missing') {
        const n = await countMessages(db, userId, {
          direction: intent.direction,
          period: intent.period,
        });
        a.value = n;
        a.answer = `You ${intent.direction === 'sent' ? 'sent' : intent.direction === 'received' ? 'received' : 'have'} ${plural(n, 'email')}${periodText(intent.period)}.`;
        return a;
      }
      const n = await countMessages(db, userId, {
        contactIds: subjectIds(s),
        direction: intent.direction,
        period: intent.period,
      });
      a.value = n;
      a.contacts = subjectContacts(s);
      const who = subjectName(s);
      a.answer =
        intent.direction === 'sent'
          ? `You sent ${plural(n, 'email')} to ${who}${periodText(intent.period)}.`
          : intent.direction === 'received'
            ? `${s.kind === 'person' ? shortLabel(s.person) : who} sent you ${plural(n, 'email')}${periodText(intent.period)}.`
            : `You and ${who} exchanged ${plural(n, 'email')}${periodText(intent.period)}` +
              (s.kind === 'person' && !intent.period
                ? ` (${s.person.emailsSent} from you, ${s.person.emailsReceived} from them).`
                : '.');
      a.answer += ambiguity(s);
      return a;
    }

    case 'last_contact':
    case 'first_contact': {
      const which = intent.kind === 'first_contact' ? 'first' : 'last';
      if (intent.people && !intent.person && !ctx.context.contactId && which === 'last') {
        const { people } = await peopleWithMail(db, userId, {
          direction: intent.direction,
          order: 'recent',
          limit: 5,
        });
        a.contacts = people.map((p) =>
          contactOf(p, p.at ? formatDate(p.at, zone, false) : undefined),
        );
        const [p] = people;
        a.datetime = p?.at?.toISOString() ?? null;
        a.answer = p?.at
          ? `${intent.direction === 'sent' ? 'The last person you emailed was' : intent.direction === 'received' ? 'The last person to write to you was' : 'The last person you had mail with was'} ${personLabel(p)}, on ${formatDate(p.at, zone)}.` +
            (people.length > 1 ? ` Before them: ${listText(people.slice(1).map(shortLabel))}.` : '')
          : 'I found no mail with people yet.';
        return a;
      }
      const s = await subjectOf(ctx, intent.person);
      if (s === null) return notFound(a, intent.person);
      const m = await messageAt(db, userId, {
        contactIds: s === 'missing' ? undefined : subjectIds(s),
        direction: intent.direction,
        which,
      });
      if (s !== 'missing') a.contacts = subjectContacts(s);
      const who = s === 'missing' ? 'anyone' : subjectName(s);
      if (!m?.sentAt) {
        a.answer =
          intent.direction === 'sent'
            ? `You have never emailed ${who}.`
            : intent.direction === 'received'
              ? `${who === 'anyone' ? 'No one' : who} has never emailed you.`
              : `You have no mail with ${who}.`;
        return a;
      }
      a.datetime = m.sentAt.toISOString();
      a.emails = [
        {
          id: m.id,
          subject: m.subject,
          from: m.fromEmail,
          sentAt: a.datetime,
          threadId: m.threadId,
        },
      ];
      if (s !== 'missing' && s.kind === 'company' && m.contactId) {
        const p = await contactProfile(db, userId, m.contactId);
        if (p) a.contacts = [contactOf(p)];
      }
      if (s === 'missing') {
        // The latest message of all: name who it was with (its sender, or your first recipient).
        const people = await peopleInEmails(db, userId, [m.id], 5);
        a.contacts = people.map((p) => contactOf(p));
      }
      const when = formatDate(m.sentAt, zone);
      const subject = m.subject ? ` — "${m.subject}"` : '';
      const ago = describeAgo(m.sentAt, ctx.context.now ?? new Date());
      const names = listText(
        a.contacts.map((c) => c.name ?? c.email),
        3,
      );
      a.answer =
        s === 'missing' && intent.direction !== 'received'
          ? `Your ${which} ${intent.direction === 'sent' ? 'sent ' : ''}email${names ? ` ${m.direction === 'outbound' ? 'to' : 'from'} ${names}` : ''} was on ${when}${subject}${ago}.`
          : intent.direction === 'sent'
            ? `You ${which === 'first' ? 'first' : 'last'} emailed ${who} on ${when}${subject}${ago}.`
            : intent.direction === 'received'
              ? `${s === 'missing' ? `Your ${which} incoming email came from ${m.fromName ?? m.fromEmail ?? 'someone'}` : `${s.kind === 'person' ? shortLabel(s.person) : who} ${which === 'first' ? 'first' : 'last'} wrote to you`} on ${when}${subject}${ago}.`
              : `Your ${which} email with ${who} was on ${when} (${m.direction === 'outbound' ? 'from you' : 'from them'})${subject}${ago}.`;
      if (s !== 'missing') a.answer += ambiguity(s);
      return a;
    }

    case 'people_at_company': {
      const name = (await companyName(db, userId, intent.company.text)) ?? intent.company.text;
      const { total, people } =
        intent.direction === 'any'
          ? await peopleAtCompany(db, userId, intent.company.text, intent.count ? 5 : 50)
          : await peopleWithMail(db, userId, {
              direction: intent.direction,
              company: intent.company.text,
              limit: intent.count ? 5 : 50,
            });
      a.contacts = people.map((p) => contactOf(p, plural(p.n, 'email')));
      a.value = total;
      const how =
        intent.direction === 'sent'
          ? 'you have emailed'
          : intent.direction === 'received'
            ? 'who have emailed you'
            : intent.direction === 'both'
              ? 'you have exchanged mail with'
              : 'in your contacts';
      a.answer =
        total === 0
          ? `I found no one at ${name} ${how}.`
          : intent.count
            ? `${plural(total, 'person', 'people')} at ${name} ${how}: ${listText(people.map(shortLabel), 5)}.`
            : `People at ${name} ${how}: ${listText(
                people.map((p) => `${personLabel(p)} (${plural(p.n, 'email')})`),
                50,
              )}.`;
      return a;
    }

    case 'people_emailed': {
      const { total, people } = await peopleWithMail(db, userId, {
        direction: intent.direction,
        period: intent.period,
        company: intent.company?.text,
        limit: intent.count ? 10 : 50,
      });
      a.contacts = people.map((p) => contactOf(p, plural(p.n, 'email')));
      a.value = total;
      const how =
        intent.direction === 'sent'
          ? 'you emailed'
          : intent.direction === 'received'
            ? 'who emailed you'
            : 'you exchanged mail with';
      const scope = `${intent.company ? ` at ${intent.company.text}` : ''}${periodText(intent.period)}`;
      a.answer =
        total === 0
          ? `No one${scope} ${how === 'who emailed you' ? 'emailed you' : how.replace('you ', 'you ')}.`.replace(
              'No one you',
              'There is no one you',
            )
          : intent.count
            ? `${plural(total, 'person', 'people')} ${how}${scope}${people.length ? `, most often ${listText(people.slice(0, 5).map(shortLabel), 5)}` : ''}.`
            : `People ${how}${scope}: ${listText(
                people.map((p) => `${shortLabel(p)} (${p.n})`),
                50,
              )}.`;
      return a;
    }

    case 'response_time': {
      const s = await subjectOf(ctx, intent.person);
      if (s === null) return notFound(a, intent.person);
      if (s === 'missing' || s.kind === 'company') {
        const t = await overallReplyTimes(db, userId);
        const hours = intent.who === 'me' ? t.mine : t.theirs;
        a.value = hours === null ? null : Math.round(hours * 10) / 10;
        a.answer =
          hours === null
            ? 'There are not enough replies in your mail to measure response times yet.'
            : intent.who === 'me'
              ? `You typically reply in ${formatHours(hours)} (median over ${plural(t.minePeople, 'person', 'people')}).`
              : `People typically reply to you in ${formatHours(hours)} (median over ${plural(t.theirPeople, 'person', 'people')}).`;
        return a;
      }
      const p = await contactProfile(db, userId, s.person.id);
      a.contacts = [contactOf(s.person)];
      const hours =
        intent.who === 'me' ? p?.stats?.myReplyMedianHours : p?.stats?.theirReplyMedianHours;
      a.value = hours === null || hours === undefined ? null : Math.round(hours * 10) / 10;
      a.answer =
        hours === null || hours === undefined
          ? intent.who === 'me'
            ? `I have not seen you reply to ${shortLabel(s.person)} yet, so there is no reply time to measure.`
            : `I have not seen ${shortLabel(s.person)} reply to you yet, so there is no reply time to measure.`
          : intent.who === 'me'
            ? `You usually reply to ${shortLabel(s.person)} in ${formatHours(hours)} (median).`
            : `${shortLabel(s.person)} usually replies to you in ${formatHours(hours)} (median).`;
      return a;
    }

    case 'emails_about': {
      const s = await subjectOf(ctx, intent.person);
      if (s === null) return notFound(a, intent.person);
      const ids = s === 'missing' ? undefined : subjectIds(s);
      const { total, emails } = await searchEmails(db, userId, {
        query: intent.topic,
        contactIds: ids,
        period: intent.period,
        limit: 20,
      });
      a.value = total;
      a.emails = emails.map((e) => ({
        id: e.id,
        subject: e.subject,
        from: e.fromEmail,
        sentAt: e.sentAt?.toISOString() ?? null,
        threadId: e.threadId,
      }));
      a.datetime = emails[0]?.sentAt?.toISOString() ?? null;
      const people =
        s !== 'missing' && s.kind === 'person'
          ? [s.person]
          : await peopleInEmails(
              db,
              userId,
              emails.map((e) => e.id),
            );
      a.contacts = people.map((p) => contactOf(p));
      const scope = `${s === 'missing' ? '' : ` with ${subjectName(s)}`}${periodText(intent.period)}`;
      a.answer =
        total === 0
          ? `I found no emails about "${intent.topic}"${scope}.`
          : `${plural(total, 'email')} about "${intent.topic}"${scope}. Latest: ${listText(
              emails
                .slice(0, 5)
                .map(
                  (e) =>
                    `"${e.subject ?? '(no subject)'}" from ${e.fromName ?? e.fromEmail ?? 'unknown'}${e.sentAt ? ` (${formatDate(e.sentAt, zone, false)})` : ''}`,
                ),
              5,
            )}.` +
            (people.length && s === 'missing'
              ? ` Mostly with ${listText(people.slice(0, 3).map(shortLabel), 3)}.`
              : '');
      return a;
    }

    case 'contact_info':
    case 'contact_summary': {
      const s = await subjectOf(ctx, intent.person);
      if (s === null && intent.kind === 'contact_summary' && intent.implicit)
        return run(ctx, {
          kind: 'unknown',
          reason: `"${intent.person?.text}" is no one in your contacts`,
        });
      if (s === null) return notFound(a, intent.person);
      if (s === 'missing') return notFound(a, undefined);
      if (s.kind === 'company') {
        const people = await peopleAtCompany(db, userId, s.text, 10);
        a.contacts = people.people.map((p) => contactOf(p, plural(p.n, 'email')));
        a.value = people.total;
        a.intent = 'people_at_company';
        a.answer = `${s.name}: ${plural(people.total, 'person', 'people')} in your contacts, most in touch: ${listText(people.people.map(shortLabel), 10)}.`;
        return a;
      }
      const p = await contactProfile(db, userId, s.person.id);
      if (!p) return notFound(a, intent.person);
      a.contacts = [contactOf(p)];
      if (intent.kind === 'contact_info') {
        a.answer = infoText(p, intent.field) + ambiguity(s);
        return a;
      }
      a.value = p.totalEmails;
      a.datetime = p.stats?.lastInteractionAt?.toISOString() ?? null;
      a.answer = summaryText(p, zone) + ambiguity(s);
      return a;
    }

    case 'introduced': {
      const s = await subjectOf(ctx, intent.person);
      if (s === null) return notFound(a, intent.person);
      if (s === 'missing' || s.kind === 'company') return notFound(a, undefined);
      const intro = await introducer(db, userId, s.person.id);
      if (!intro) {
        const first = await messageAt(db, userId, {
          contactIds: [s.person.id],
          direction: 'both',
          which: 'first',
        });
        a.contacts = [contactOf(s.person)];
        a.datetime = first?.sentAt?.toISOString() ?? null;
        a.answer = first?.sentAt
          ? `No one introduced you: your first email with ${shortLabel(s.person)} was directly between you, on ${formatDate(first.sentAt, zone, false)}${first.subject ? ` ("${first.subject}")` : ''}.`
          : `You have no mail with ${shortLabel(s.person)}.`;
        return a;
      }
      a.contacts = [contactOf(intro), contactOf(s.person)];
      a.datetime = intro.at?.toISOString() ?? null;
      a.answer = `${personLabel(intro)} brought ${shortLabel(s.person)} into your mail${intro.at ? ` on ${formatDate(intro.at, zone, false)}` : ''}${intro.subject ? ` ("${intro.subject}")` : ''}.`;
      return a;
    }

    case 'help':
      a.answer = 'I answer questions about your network from your own mail. Try one of these:';
      a.suggestions = await suggestions(ctx);
      return a;

    case 'unknown':
      a.answer = `I didn't understand that (${intent.reason}). Here are questions I can answer:`;
      a.suggestions = await suggestions(ctx);
      return a;
  }
}

/** A sentence's full stop, unless it ends in one already ("… at Enron Corp."). */
const stop = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function describeAgo(at: Date, now: Date) {
  const days = Math.floor((now.getTime() - at.getTime()) / 86_400_000);
  if (days < 0) return '';
  return ` (${formatAgo(days)})`;
}

function infoText(p: NonNullable<Awaited<ReturnType<typeof contactProfile>>>, field: string) {
  const who = shortLabel(p);
  switch (field) {
    case 'phone':
      return p.phones.length
        ? `${who}'s ${p.phones.length === 1 ? 'number is' : 'numbers are'} ${listText(
            p.phones.map(
              (ph) =>
                `${ph.number}${ph.extension ? ` ext. ${ph.extension}` : ''}${ph.type ? ` (${ph.type})` : ''}`,
            ),
          )}.`
        : `I have no phone number for ${who}.`;
    case 'email':
      return `${who} writes from ${listText(p.addresses)}.`;
    case 'title':
      return p.title
        ? stop(`${who} is ${p.title}${p.company ? ` at ${p.company}` : ''}`)
        : stop(`I don't know ${who}'s title${p.company ? `; they are at ${p.company}` : ''}`);
    case 'company':
      return p.company
        ? stop(`${who} works at ${p.company}${p.title ? ` as ${p.title}` : ''}`)
        : `I don't know where ${who} works.`;
    case 'location':
      return p.location
        ? stop(`${who} is based in ${p.location}`)
        : `I don't know where ${who} is based.`;
    default: {
      const links = Object.entries(p.links)
        .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${x}`) : v ? [`${k}: ${v}`] : []))
        .filter(Boolean);
      return links.length ? `${who}'s links: ${listText(links)}.` : `I have no links for ${who}.`;
    }
  }
}

function summaryText(p: NonNullable<Awaited<ReturnType<typeof contactProfile>>>, zone: string) {
  const parts = [
    stop(`${personLabel(p)}${p.title ? `, ${p.title}` : ''}${p.company ? ` at ${p.company}` : ''}`),
  ];
  if (!p.isHuman) parts.push('This address looks automated (not a person).');
  if (p.stats && p.totalEmails > 0) {
    parts.push(
      `You have exchanged ${plural(p.totalEmails, 'email')} (${p.emailsSent} from you, ${p.emailsReceived} from them)` +
        (p.stats.firstInteractionAt
          ? ` since ${formatDate(p.stats.firstInteractionAt, zone, false)}`
          : '') +
        (p.stats.lastInteractionAt
          ? `; the latest on ${formatDate(p.stats.lastInteractionAt, zone, false)}.`
          : '.'),
    );
    parts.push(
      `Relationship strength ${Math.round(p.stats.strengthScore)}/100${p.stats.goingCold ? ', going cold' : ''}.`,
    );
    if (p.stats.theirReplyMedianHours !== null)
      parts.push(`They usually reply in ${formatHours(p.stats.theirReplyMedianHours)}.`);
  } else {
    parts.push('You have no mail with them yet.');
  }
  if (p.phones.length) parts.push(`Phone: ${p.phones.map((x) => x.number).join(', ')}.`);
  return parts.join(' ');
}

/** Questions the engine can answer, made from the user's own top contact and company. */
export async function suggestions(ctx: Ctx): Promise<string[]> {
  const [top] = await topPeople(ctx.db, ctx.userId, { metric: 'total', limit: 1 });
  const name = top ? (top.name ?? top.email) : null;
  const out = [
    'Who do I email the most?',
    'Who are my strongest relationships?',
    'Who is going cold?',
    'Who do I owe a reply?',
  ];
  if (name)
    out.push(`How many emails have I sent to ${name}?`, `When did I last hear from ${name}?`);
  if (top?.company) out.push(`Who at ${top.company} have I emailed?`);
  out.push('How many people did I email last month?', 'Find emails about budget');
  return out;
}

/** Answers one question with the built-in engine. */
export async function answerBuiltin(
  db: DbOrTx,
  userId: string,
  question: string,
  context: QueryContext = {},
): Promise<Answer> {
  const zone = context.timeZone ?? 'UTC';
  const intent = parseQuestion(question, { now: context.now, timeZone: zone });
  const answer = await run({ db, userId, zone, context }, intent);
  if (!answer.understood && answer.suggestions.length === 0)
    answer.suggestions = await suggestions({ db, userId, zone, context });
  return answer;
}
