import type { Direction, EntityRef, InfoField, Intent, TopMetric } from './intents';
import { findPeriod, numberFrom, type Period } from './periods';

/**
 * The built-in engine's reader: a question in free phrasing → one intent with its parameters.
 * Names and companies are found as what is left once the question's own words are set aside
 * (so "Keith Holst", "keith holst" and "JPMorgan" need no list), then the wording around them
 * says whether each is a person or a company; dates go through a date parser.
 */

/** The words questions are made of; anything else is a name, a company or a topic. */
const VOCABULARY = new Set(
  `a about above across after again against ago all almost along already also altogether always am among an and another any anybody
anyone anything are aren't around as ask at average avg back be been before being below best between big biggest both busiest but by
can can't cannot close closely closest cold colleague colleagues come company contact contacted contacting contacts conversation
conversations correspond corresponded correspondence correspondent correspondents corresponding could count couldn't currently
date day days did didn't different distinct do does doesn't doing don't done during each earliest either else email e-mail
emailed e-mailed emailing emails e-mails employee employees ever every everybody everyone exchange exchanged exchanges exchanging
few find first folks for frequent frequently from gave get gets getting give go going gone got gotten had hadn't has hasn't have haven't
having he hear heard hearing heavily her here hers him his how human humans i i'd i'll i'm i've if in inbox individual individuals
is isn't it its just key know largest last lately latest least let list lot lots mail mailed mails main many me mentioned message
messaged messages messaging more most mostly much my myself name names need never newest no nobody not number of often oldest on
once one only or other our out over own people per person persons please ping pinged quick quickly rank ranked ranking rarely
reach reached real really receive received receiving recent recently recipient recipients regular regularly replied replies reply
replying respond responded responds right said say see send sender senders sending sends sent several shall she should show so some
somebody someone something sort speak spoke spoken staff still strongest strong such talk talked talking team tell than that the
their theirs them then there these they thing this those time times to top total trade traded trading tried trying twice typical
typically under unique until up us usual usually very via want was wasn't we week were weren't what what's when whenever where
which while who who's whom whose why will with within without work worked works would wrote write writes writing written yet you
your yours together total overall altogether everything ones folks guy guys owe owed owing introduced introduce
introduction introductions fast faster fastest slow slower slowest quick quicker quickest response responses title titles phone
phones number numbers mobile cell telephone fax address addresses linkedin twitter website websites links link job jobs role
position employer firm mean median hours minutes long take takes took taking mention mentions mention touch lost losing
lose drifting drifted reconnect pending unanswered waiting need needs help summary summarize summarise profile info information
details background overview brief based live lives located location promptly soon typically generally answer answered answers
returning return emailing mailing one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
relationship relationships network connections connection acquaintances friends friend inbox thread threads write-back follow followed following up been has yes do people's person's anything`.split(
    /\s+/,
  ),
);

type Token = { text: string; lower: string; start: number; end: number; capital: boolean };

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const DOMAIN =
  /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|co|ai|de|uk|fr|ca|us|info|biz|me|nl|ch|jp|au|in)\b/gi;

const PEOPLE_NOUNS =
  /^(people|persons|person|folks|employees|staff|colleagues|contacts|guys|team|individuals|humans|correspondents)$/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9][A-Za-z0-9'&.-]*/g)) {
    let word = m[0].replace(/[.'-]+$/, '');
    if (/'s$/i.test(word)) word = word.slice(0, -2);
    if (!word) continue;
    out.push({
      text: word,
      lower: word.toLowerCase(),
      start: m.index,
      end: m.index + word.length,
      capital: /^[A-Z]/.test(word),
    });
  }
  return out;
}

/** Blanks a span out (keeping offsets) so later readers see only what is left. */
const blank = (text: string, start: number, end: number) =>
  text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);

type Span = { text: string; start: number; end: number; hint: EntityRef['hint'] };

/** The name-like runs of a question: words outside the vocabulary, kept together. */
function entitySpans(text: string): Span[] {
  const tokens = tokenize(text);
  const keep = tokens.map((t) => !VOCABULARY.has(t.lower) && !/^\d+$/.test(t.lower));
  // A capitalised common word inside a name stays with it ("Will Smith", "Duke Energy Trading").
  tokens.forEach((t, i) => {
    if (keep[i] || !t.capital || i === 0 || t.lower === 'i') return;
    const near = [i - 1, i + 1].some(
      (j) =>
        keep[j] &&
        tokens[j]!.capital &&
        text.slice(tokens[Math.min(i, j)]!.end, tokens[Math.max(i, j)]!.start).trim() === '',
    );
    if (
      near &&
      !PEOPLE_NOUNS.test(t.lower) &&
      !/^(at|from|to|and|or|the|of|with|in|me|my)$/.test(t.lower)
    )
      keep[i] = true;
  });
  const spans: Span[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!keep[i]) {
      i++;
      continue;
    }
    let j = i;
    // Runs join across plain spaces and hyphens only, never across "and" or punctuation.
    while (
      j + 1 < tokens.length &&
      keep[j + 1] &&
      /^[\s-]*$/.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start))
    )
      j++;
    const start = tokens[i]!.start;
    const end = tokens[j]!.end;
    spans.push({ text: text.slice(start, end), start, end, hint: hintFor(text, tokens, i, j) });
    i = j + 1;
  }
  return spans;
}

/** "at JPMorgan", "Duke Energy people", "people from Enron": a company; otherwise either. */
function hintFor(text: string, tokens: Token[], first: number, last: number): EntityRef['hint'] {
  const before = text.slice(0, tokens[first]!.start).toLowerCase();
  const next = tokens[last + 1]?.lower ?? '';
  if (/\b(at|@)\s*$/.test(before)) return 'company';
  if (PEOPLE_NOUNS.test(next) && next !== 'person') return 'company';
  if (
    /\b(people|anyone|anybody|everyone|everybody|someone|folks|who|contacts|employees|staff|colleagues)\s+(from|at|in)\s+$/.test(
      before,
    )
  )
    return 'company';
  if (
    /\b(company|companies|firm|organi[sz]ation|domain)\s+$/.test(before) ||
    /^(company|inc|corp|llc|ltd)$/.test(next)
  )
    return 'company';
  if (/\bwork(s|ed|ing)?\s+(at|for)\s+$/.test(before)) return 'company';
  return 'either';
}

const VERBS =
  "(?:e-?mail|e-?mails|e-?mailed|e-?mailing|mail|mailed|sen[dt]|sends|sending|wr[io]te|writes|written|writing|message|messaged|messages|contact|contacted|reach|reached|ping|pinged|cc|cc'd|copied|repl(?:y|ied|ies)|respond(?:ed|s)?|answer(?:ed|s)?|forward(?:ed|s)?)";
const ADVERBS =
  '(?:(?:ever|last|first|most|recently|usually|often|really|also|actually|personally|directly)\\s+)*';

const BOTH =
  /\b(exchang\w*|trad(e|ed|es|ing)|between|back and forth|correspond\w*|communicat\w*|interact\w*|talk\w*|spoke|speak\w*|conversations?|in total|altogether|overall|either way|both ways|each other|with each other|in touch)\b|\bx and (i|me)\b|\b(i|me) and x\b|\b(e-?mails?|mail|messages?) with x\b|\bbetween (me|us) and x\b/;
const RECEIVED = new RegExp(
  [
    `\\b${VERBS}\\s+(?:to\\s+)?(?:me|us)\\b`,
    '\\bhear(d|ing)? from\\b',
    '\\b(received|receive|receiving|get|got|gotten|getting|incoming|inbound|in my inbox|senders?)\\b',
    '\\bfrom x\\b',
    '\\b(sent|written|e-?mailed) by x\\b',
    "\\bx'?s (e-?mails|messages|mail)\\b",
  ].join('|'),
);
const SENT = new RegExp(
  [
    `\\b(?:i|i've|i'd|ive)\\s+(?:have\\s+|had\\s+)?${ADVERBS}${VERBS}`,
    `\\b(?:did|do|have|had|should|would|could)\\s+i\\s+${ADVERBS}${VERBS}`,
    '\\b(sent|written|e-?mailed|e-?mails?|messages?|mail) (by|from) me\\b',
    '\\b(my|outgoing|outbound) (e-?mails?|messages?|mail)\\b',
    '\\b(e-?mails?|messages?|mail) (i sent|i wrote|to x)\\b',
    '\\brecipients?\\b',
    '\\bsent\\b(?!\\s+(?:to\\s+)?(?:me|us)\\b)',
  ].join('|'),
);

/** Which way the mail goes, from the wording around the name (replaced by "x"). */
export function readDirection(shape: string): Direction | null {
  if (BOTH.test(shape)) return 'both';
  const received = RECEIVED.test(shape);
  const sent = SENT.test(shape);
  if (received && sent) {
    // "did I get emails sent by X": the receiving words are the more specific ones.
    return /\b(?:did|do|have|had)\s+i\s+(?:ever\s+)?(get|got|receive|received|hear)\b/.test(
      shape,
    ) || new RegExp(`\\b${VERBS}\\s+(?:to\\s+)?(?:me|us)\\b`).test(shape)
      ? 'received'
      : 'sent';
  }
  if (received) return 'received';
  if (sent) return 'sent';
  return null;
}

function readLimit(shape: string): number | null {
  const m =
    /\btop\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty)\b/.exec(shape) ??
    /\b(\d+|two|three|four|five|six|seven|eight|nine|ten|twenty)\s+(?:most\s+|top\s+|closest\s+|strongest\s+|best\s+|real\s+|main\s+|frequent\s+)*(people|contacts|persons|folks|correspondents|relationships|colleagues|names|senders|recipients)\b/.exec(
      shape,
    );
  if (!m) return null;
  const n = numberFrom(m[1]!);
  return n && n > 0 ? Math.min(n, 100) : null;
}

const TOPIC =
  /\b(?:about|regarding|concerning|re|mentioning|mentioned|mention|mentions|discussing|discussed|on the (?:topic|subject) of|with the subject|subject(?:ed)?|titled|called|containing|that mention|that say|saying)\b[:\s]+(.+)$/i;
const MAILISH =
  /\b(e-?mails?|mails?|messages?|threads?|conversations?|discussions?|wrote|written|write|talk(ed|ing)?|discuss(ed|ing)?|said|say|mention\w*|correspondence|sent|send|subject|titled|anything|something|everything)\b/i;
const ABOUT_PERSON =
  /\b(tell me|know|info(?:rmation)?|details|background|summar\w*|profile|overview|more)\b\s+(?:\w+\s+){0,2}(?:about|on|of|for)\b/i;

function readTopic(text: string): { topic: string; start: number; end: number } | null {
  const m = TOPIC.exec(text);
  if (!m) return null;
  const head = text.slice(0, m.index);
  if (!MAILISH.test(head) || ABOUT_PERSON.test(text.slice(0, m.index + m[0].length - m[1]!.length)))
    return null;
  const rest = m[1]!;
  const quoted = /["“'‘]([^"”'’]+)["”'’]/.exec(rest);
  let topic = quoted ? quoted[1]! : rest;
  // A trailing "from Keith" / "with keith@…" names who, not what.
  let end = text.length;
  if (quoted) end = m.index + m[0].length - rest.length + quoted.index + quoted[0].length;
  else {
    // A trailing "from Keith" / "with keith@…" names who, not what.
    const who = /\s+(?:from|with|to|by|sent by|written by|between)\s+(?:[A-Z]|\S+@)/.exec(rest);
    if (who) {
      topic = rest.slice(0, who.index);
      end = m.index + m[0].length - rest.length + who.index;
    }
  }
  topic = topic.replace(/[?.!]+$/, '').trim();
  return topic ? { topic, start: m.index, end } : null;
}

const INFO: [RegExp, InfoField][] = [
  [/\b(phone|mobile|cell|telephone|fax|number to call|call (him|her|them|x))\b/, 'phone'],
  [/\b(e-?mail address|address for x|which address|what address)\b/, 'email'],
  [/\b(linkedin|twitter|website|web site|homepage|links?|social)\b/, 'links'],
  [/\b(title|job|role|position|what does x do|does x do for a living)\b/, 'title'],
  [
    /\b(where does x work|where did x work|which company|what company|what firm|which firm|employer|work(s|ed)? (for|at)|company)\b/,
    'company',
  ],
  [/\bwhere (is|does) x (live|based|located|from)\b|\blocation\b|\bbased\b/, 'location'],
];

export type ParseOptions = { now?: Date; timeZone?: string };

export type ParsedQuestion = { intent: Intent; period: Period | null };

/** Reads a question into an intent. Pure: the database resolves names afterwards. */
export function parseQuestion(question: string, options: ParseOptions = {}): Intent {
  const now = options.now ?? new Date();
  const zone = options.timeZone ?? 'UTC';
  let text = question.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
  text = text.replace(/[?!.\s]+$/, '');
  if (!text) return { kind: 'unknown', reason: 'empty question' };
  const lowerAll = text.toLowerCase();
  if (
    /^(help|\?|what can (you|i) (do|ask)|what (questions|kind of questions)|how do i use|examples?)\b/.test(
      lowerAll,
    )
  )
    return { kind: 'help' };

  // Addresses and domains first: they are entities whatever surrounds them.
  const entities: Span[] = [];
  let work = text;
  for (const m of text.matchAll(EMAIL)) {
    entities.push({
      text: m[0].toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
      hint: 'person',
    });
    work = blank(work, m.index, m.index + m[0].length);
  }
  for (const m of work.matchAll(DOMAIN)) {
    entities.push({
      text: m[0].toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
      hint: 'company',
    });
    work = blank(work, m.index, m.index + m[0].length);
  }

  const found = findPeriod(work, now, zone);
  const period = found?.period;
  if (found) work = blank(work, found.start, found.end);
  const topicFound = readTopic(work);
  const topic = topicFound?.topic;
  if (topicFound) work = blank(work, topicFound.start, topicFound.end);

  for (const s of entitySpans(work)) entities.push(s);
  entities.sort((a, b) => a.start - b.start);

  // The question's shape: lower case, names as "x", the time range as "p".
  let shape = text;
  const marks = [
    ...entities.map((e) => ({ start: e.start, end: e.end, as: 'x' })),
    ...(found ? [{ start: found.start, end: found.end, as: 'p' }] : []),
  ];
  if (topicFound) marks.push({ start: topicFound.start, end: topicFound.end, as: 'about t' });
  marks.sort((a, b) => b.start - a.start);
  for (const m of marks) shape = `${shape.slice(0, m.start)} ${m.as} ${shape.slice(m.end)}`;
  shape = shape.toLowerCase().replace(/\s+/g, ' ').trim();

  const companySpan = entities.find((e) => e.hint === 'company');
  const personSpan = entities.find((e) => e !== companySpan && e.hint !== 'company');
  const person: EntityRef | undefined = personSpan && {
    text: personSpan.text,
    hint: personSpan.hint,
  };
  const company: EntityRef | undefined = companySpan && { text: companySpan.text, hint: 'company' };
  const anyEntity = person ?? company;
  const direction = readDirection(shape);
  const limit = readLimit(shape);
  const counting =
    /\bhow many\b|\bnumber of\b|\bcount\b|\bhow often\b|\bhow much (e-?)?mail\b|\btotal\b(?! (strength|score))/.test(
      shape,
    );
  const peopleWords =
    /\b(people|persons|contacts|humans|individuals|folks|colleagues|correspondents|addresses|different|distinct|unique|recipients|senders|someone|anyone|everyone|who)\b/.test(
      shape,
    );

  if (
    /\b(tell me|what do (you|i) know|info(rmation)?|details|background|summar\w*|profile|overview|brief me)\b.*\b(about|on|of|for)\b/.test(
      shape,
    ) ||
    /^(who is|who's|who was) x$/.test(shape)
  ) {
    if (anyEntity && !(company && !person)) return { kind: 'contact_summary', person: anyEntity };
    if (!anyEntity) return { kind: 'contact_summary' };
  }

  if (
    /\bintroduc\w*\b|\bhow did i (meet|get to know|first hear of)\b|\bwho connected me\b/.test(
      shape,
    )
  )
    return { kind: 'introduced', person };

  if (
    /\b(owe|owed|owing)\b|\b(need|have|ought|should) to (reply|respond|answer|get back|write back)\b|\bunanswered\b|\bwaiting (on|for) (me|my)\b|\b(haven'?t|have not|not yet|didn'?t|did not)( i)? (replied|responded|answered|gotten back|written back)\b|\bpending repl\w*\b|\brepl(y|ies) (pending|due)\b|\bstill need\w* (a )?repl/.test(
      shape,
    )
  )
    return { kind: 'replies_owed', limit: limit ?? 10 };

  if (
    /\b(going|gone|grow\w*|turn\w*|run\w*) cold\b|\bcold\b|\blo(st|sing|se) touch\b|\bdrift\w*\b|\breconnect\w*\b|\bneglect\w*\b|\bout of touch\b|\bfall\w* off\b|\bshould i (reach out|follow up|get back in touch|catch up)\b|\bhaven'?t (talked|spoken|emailed|heard|written)\b.*\b(while|lately|recently)\b/.test(
      shape,
    )
  ) {
    if (person) return { kind: 'last_contact', person, direction: 'both' };
    return { kind: 'going_cold', limit: limit ?? 10 };
  }

  if (
    /\b(response|reply|answer|turnaround)\s+(time|times|speed|rate|delay|lag)s?\b|\bhow (fast|quick(ly)?|long|soon|promptly)\b.*\b(repl|respond|answer|get back|write back|return)|\b(take|takes|took|taking) to (repl|respond|answer|get back|write back)|\b(slow|fast|quick)(est)? (to )?(repl|respond)/.test(
      shape,
    )
  ) {
    const me =
      /\b(do|did|have) i\b|\bmy (\w+ )?(response|reply|answer)|\bi (typically |usually |generally )?(repl|respond|answer|take)/.test(
        shape,
      );
    return { kind: 'response_time', person, who: me ? 'me' : 'them' };
  }

  if (topic) return { kind: 'emails_about', topic, person, period, count: counting };

  for (const [re, field] of INFO) {
    if (!re.test(shape) || (/\bnumber of\b/.test(shape) && field === 'phone')) continue;
    if (field === 'company' && !person) break;
    if (person || !counting) return { kind: 'contact_info', person, field };
  }

  if (
    /^(when|what (date|day|time))\b|\bwhen\b|\bhow long (ago|since)\b|\blast time\b|\bfirst time\b|\b(date|day) of (my|our|the) (last|first|most recent|latest)\b/.test(
      shape,
    ) ||
    (anyEntity &&
      !/^(who|whom|which)\b/.test(shape) &&
      /\b(last|latest|most recent|first|earliest|newest|oldest) (e-?mail|message|mail|note|contact)\b/.test(
        shape,
      ) &&
      !counting)
  ) {
    const first =
      /\bfirst\b|\bearliest\b|\binitial(ly)?\b|\bbeg[ia]n\b|\bstart(ed)?\b|\boldest\b/.test(shape);
    return first
      ? { kind: 'first_contact', person: anyEntity, direction: direction ?? 'both' }
      : { kind: 'last_contact', person: anyEntity, direction: direction ?? 'both' };
  }

  // "Who wrote to me last?", "What's the last email I received?": the latest message itself.
  if (
    !anyEntity &&
    !counting &&
    /\b(last|latest|most recent|newest)\b/.test(shape) &&
    /\b(wr[io]te|written|e-?mail\w*|sent|send|message\w*|mail|heard|received|contacted|replied)\b/.test(
      shape,
    ) &&
    !/\b(people|contacts|persons|folks)\b/.test(shape)
  )
    return {
      kind: 'last_contact',
      direction: direction ?? 'both',
      people: /^(who|whom|which (person|contact|one))\b/.test(shape),
    };

  // "Has Frank ever emailed me?", "Did I ever write to Keith?": answered with the count.
  if (counting || (anyEntity && /^(has|have|did|does|do|had)\b/.test(shape) && direction)) {
    if (peopleWords && !person) {
      if (company && !period)
        return { kind: 'people_at_company', company, direction: direction ?? 'any', count: true };
      return {
        kind: 'people_emailed',
        direction: direction ?? 'any',
        period,
        company,
        count: true,
      };
    }
    return { kind: 'count_emails', person: anyEntity, direction: direction ?? 'both', period };
  }

  const ranking =
    /\b(most|top|frequent(ly)?|often|biggest|strongest|closest|best|main|favou?rite|key|important|heaviest|busiest|leading|regular(ly)?|primary)\b/.test(
      shape,
    ) || limit !== null;
  const listing =
    /^(who|whom|which|list|show|name|give|find|tell me|get|display)\b|\bwho\b|\bwhich\b|\blist\b/.test(
      shape,
    ) || ranking;

  if (listing) {
    if (ranking) {
      const metric: TopMetric =
        /\b(strong\w*|close\w*|best|important|key|relationships?|strength)\b/.test(shape)
          ? 'strength'
          : /\b(recent\w*|latest|lately)\b/.test(shape)
            ? 'recent'
            : direction === 'sent'
              ? 'sent'
              : direction === 'received'
                ? 'received'
                : 'total';
      const single =
        /\b(who|which (real )?(person|contact|human|correspondent|colleague|one))\b/.test(shape) &&
        !/\b(people|contacts|persons|folks|correspondents|relationships|colleagues|ones)\b/.test(
          shape,
        );
      return {
        kind: 'top_contacts',
        metric,
        limit: limit ?? (single ? 5 : 10),
        period,
        company: company ?? (person && person.hint === 'company' ? person : undefined),
      };
    }
    if (company)
      return { kind: 'people_at_company', company, direction: direction ?? 'any', count: false };
    if (period)
      return { kind: 'people_emailed', direction: direction ?? 'any', period, count: false };
    if (/\b(recent\w*|latest|lately)\b/.test(shape))
      return { kind: 'top_contacts', metric: 'recent', limit: limit ?? 10 };
    if (person && /\b(people|anyone|anybody|everyone|who|folks)\b/.test(shape))
      // "Who at Enron have I emailed?" reads as a company even without "at".
      return {
        kind: 'people_at_company',
        company: { text: person.text, hint: 'either' },
        direction: direction ?? 'any',
        count: false,
      };
    if (person) return { kind: 'contact_summary', person };
  }

  if (person && shape.split(' ').length <= 4)
    return { kind: 'contact_summary', person, implicit: true };
  return {
    kind: 'unknown',
    reason: anyEntity
      ? `I found "${anyEntity.text}" but not what you want to know about it`
      : 'no question I know',
  };
}

// The date parser and these expressions compile on first use (~100 ms): pay that once at
// start-up rather than in someone's first question.
parseQuestion(
  'How many emails did I send Keith Holst about the budget between March and May 2001?',
);
parseQuestion('Who are my top 3 contacts at Globex since last week?');
