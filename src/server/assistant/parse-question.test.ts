import { describe, expect, it } from 'vitest';
import { parseQuestion, readDirection } from './parse-question';
import { findPeriod } from './periods';

const NOW = new Date('2026-11-24T12:00:00Z');
const parse = (q: string) => parseQuestion(q, { now: NOW });

describe('the question parser', () => {
  it.each([
    ['Who do I email the most?', 'sent'],
    ['who have I sent the most emails to', 'sent'],
    ['Top 3 recipients of my mail', 'sent'],
    ['Which real person emails me the most?', 'received'],
    ['Who writes to me most often?', 'received'],
    ['top 5 senders', 'received'],
    ['Who is my most frequent correspondent?', 'total'],
    ['Who are my strongest relationships?', 'strength'],
    ['Who are my closest contacts?', 'strength'],
  ])('ranks people: %s → %s', (q, metric) => {
    expect(parse(q)).toMatchObject({ kind: 'top_contacts', metric });
  });

  it('reads how many to rank, in digits or words', () => {
    expect(parse('Who are my top 3 contacts by emails sent?')).toMatchObject({
      limit: 3,
      metric: 'sent',
    });
    expect(parse('Name my five most frequent correspondents')).toMatchObject({ limit: 5 });
  });

  it.each([
    ['How many emails have I sent to Keith Holst?', 'sent'],
    ['How many emails did I send to Ina Rangel', 'sent'],
    ['number of mails I wrote to Keith Holst', 'sent'],
    ['How many emails did Iris Mack send me?', 'received'],
    ['How many messages have I received from Iris Mack?', 'received'],
    ['How many emails have Mike Grigsby and I exchanged?', 'both'],
    ['How many emails did Jeff Dasovich and I trade in total?', 'both'],
    ['Count the emails between me and Keith Holst', 'both'],
  ])('counts mail with a person: %s → %s', (q, direction) => {
    const i = parse(q);
    expect(i).toMatchObject({ kind: 'count_emails', direction });
    expect(i.kind === 'count_emails' && i.person?.text).toMatch(
      /^(Keith Holst|Ina Rangel|Iris Mack|Mike Grigsby|Jeff Dasovich)$/,
    );
  });

  it.each([
    ['When did I last email Mike Grigsby?', 'last_contact', 'sent'],
    ['When did Sarah Novosel last write to me?', 'last_contact', 'received'],
    ['When did I last hear from Iris Mack?', 'last_contact', 'received'],
    ['When was the last time Jeff Smith and I spoke?', 'last_contact', 'both'],
    ['What was the date of my most recent email to Keith Holst', 'last_contact', 'sent'],
    ['When did I first email Keith Holst?', 'first_contact', 'sent'],
    ['When did I first write to Greg Blair?', 'first_contact', 'sent'],
    ['When did Greg Blair first get in touch', 'first_contact', 'both'],
  ])('dates a contact: %s', (q, kind, direction) => {
    expect(parse(q)).toMatchObject({ kind, direction });
  });

  it.each([
    ['Who at JPMorgan have I emailed?', 'JPMorgan', 'sent'],
    ['Which Duke Energy people have I written to?', 'Duke Energy', 'sent'],
    ['List the people I emailed at keyad.com', 'keyad.com', 'sent'],
    ['Who do I know at Globex?', 'Globex', 'any'],
    ['Which people from Enron have emailed me?', 'Enron', 'received'],
  ])('finds people at a company: %s', (q, company, direction) => {
    expect(parse(q)).toMatchObject({
      kind: 'people_at_company',
      company: { text: company },
      direction,
    });
  });

  it('counts people in a period, and lists them', () => {
    expect(parse('How many different people did I email in December 2000?')).toMatchObject({
      kind: 'people_emailed',
      count: true,
      direction: 'sent',
      period: { from: new Date('2000-12-01T00:00:00Z'), to: new Date('2001-01-01T00:00:00Z') },
    });
    expect(parse('Who did I email last week?')).toMatchObject({
      kind: 'people_emailed',
      count: false,
    });
  });

  it('knows going cold, replies owed, response times, introductions, topics and profile fields', () => {
    expect(parse('Who is going cold?').kind).toBe('going_cold');
    expect(parse('Which relationships have I lost touch with?').kind).toBe('going_cold');
    expect(parse('Who do I owe a reply?').kind).toBe('replies_owed');
    expect(parse("Which emails haven't I answered?").kind).toBe('replies_owed');
    expect(parse('How fast does Keith Holst reply to me?')).toMatchObject({
      kind: 'response_time',
      who: 'them',
    });
    expect(parse('What is my average response time to Mike?')).toMatchObject({
      kind: 'response_time',
      who: 'me',
    });
    expect(parse('Who introduced me to Greg Blair?')).toMatchObject({
      kind: 'introduced',
      person: { text: 'Greg Blair' },
    });
    expect(parse('Find emails about the gas pipeline from Keith')).toMatchObject({
      kind: 'emails_about',
      topic: 'the gas pipeline',
      person: { text: 'Keith' },
    });
    expect(parse('How many emails mention "west power" in 2001?')).toMatchObject({
      kind: 'emails_about',
      topic: 'west power',
      count: true,
      period: { from: new Date('2001-01-01T00:00:00Z') },
    });
    expect(parse("What is Keith Holst's phone number?")).toMatchObject({
      kind: 'contact_info',
      field: 'phone',
    });
    expect(parse('Where does Mike Grigsby work?')).toMatchObject({
      kind: 'contact_info',
      field: 'company',
    });
    expect(parse('Tell me about keith.holst@enron.com')).toMatchObject({
      kind: 'contact_summary',
      person: { text: 'keith.holst@enron.com' },
    });
  });

  it('reads terser phrasings', () => {
    expect(parse('Total emails between Mike Grigsby and me?')).toMatchObject({
      kind: 'count_emails',
      direction: 'both',
    });
    expect(parse('Last email I sent to mike.grigsby@enron.com?')).toMatchObject({
      kind: 'last_contact',
      direction: 'sent',
      person: { text: 'mike.grigsby@enron.com' },
    });
    expect(parse('Who wrote to me last?')).toMatchObject({
      kind: 'last_contact',
      direction: 'received',
      people: true,
    });
    expect(parse("What's the last email I received?")).toMatchObject({
      kind: 'last_contact',
      people: false,
    });
    expect(parse('Which JPMorgan people did I write to?')).toMatchObject({
      kind: 'people_at_company',
      direction: 'sent',
    });
  });

  it('works without the asker naming anyone (a contact page supplies them)', () => {
    expect(parse('when did we last talk')).toMatchObject({
      kind: 'last_contact',
      direction: 'both',
    });
    expect(parse('How many emails have we exchanged?')).toMatchObject({
      kind: 'count_emails',
      direction: 'both',
    });
  });

  it('says when it does not understand', () => {
    expect(parse('').kind).toBe('unknown');
    expect(parse('Why is it so?').kind).toBe('unknown');
    // A bare phrase reads as a name; the engine calls it not understood when no one has it.
    expect(parse('weather forecast')).toMatchObject({ kind: 'contact_summary', implicit: true });
    expect(parse('help').kind).toBe('help');
  });

  it('reads direction from the wording around a name', () => {
    expect(readDirection('did i get emails sent by x')).toBe('received');
    expect(readDirection('emails i sent to x')).toBe('sent');
    expect(readDirection('x and i')).toBe('both');
    expect(readDirection('who is x')).toBeNull();
  });
});

describe('periods', () => {
  const range = (t: string, zone = 'UTC') => {
    const p = findPeriod(t, NOW, zone)?.period;
    return p && [p.from?.toISOString() ?? null, p.to?.toISOString() ?? null];
  };
  it('reads months, years, quarters, ranges and open ends', () => {
    expect(range('in December 2000')).toEqual([
      '2000-12-01T00:00:00.000Z',
      '2001-01-01T00:00:00.000Z',
    ]);
    expect(range('during 2001')).toEqual(['2001-01-01T00:00:00.000Z', '2002-01-01T00:00:00.000Z']);
    expect(range('in Q2 2001')).toEqual(['2001-04-01T00:00:00.000Z', '2001-07-01T00:00:00.000Z']);
    expect(range('between March and May 2001')).toEqual([
      '2001-03-01T00:00:00.000Z',
      '2001-06-01T00:00:00.000Z',
    ]);
    expect(range('since January 2001')).toEqual(['2001-01-01T00:00:00.000Z', null]);
    expect(range('before June 2001')).toEqual([null, '2001-06-01T00:00:00.000Z']);
    expect(range('on 4 May 2001')).toEqual([
      '2001-05-04T00:00:00.000Z',
      '2001-05-05T00:00:00.000Z',
    ]);
  });
  it('reads relative ranges from now', () => {
    expect(range('last week')).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(range('this month')).toEqual(['2026-11-01T00:00:00.000Z', null]);
    expect(range('in the past 30 days')).toEqual(['2026-10-25T00:00:00.000Z', null]);
    expect(range('yesterday')).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z']);
  });
  it('honours the asker’s time zone', () => {
    expect(range('in December 2000', 'America/Chicago')).toEqual([
      '2000-12-01T06:00:00.000Z',
      '2001-01-01T06:00:00.000Z',
    ]);
    expect(range('in July 2001', 'America/Chicago')?.[0]).toBe('2001-07-01T05:00:00.000Z');
  });
  it('finds nothing where there is no time', () => {
    expect(findPeriod('Who do I email the most', NOW)).toBeNull();
  });
});
