import { describe, expect, it } from 'vitest';
import type { ParsedMessage } from '@/server/mail/parsed-message';
import { classifyParticipant } from './classify-sender';

const msg = (
  headers: Record<string, string> = {},
  fromName: string | null = null,
): ParsedMessage => ({
  source: 'mbox',
  providerMessageId: 'x',
  messageId: 'x',
  providerThreadId: null,
  inReplyTo: null,
  references: [],
  from: { email: 'sender@x.com', name: fromName },
  to: [],
  cc: [],
  bcc: [],
  replyTo: [],
  subject: 's',
  sentAt: null,
  text: null,
  html: null,
  htmlAsText: false,
  labels: [],
  headers,
  attachments: [],
  sizeBytes: 0,
  contentKey: 'k',
});

const human = (email: string, role: 'from' | 'to' = 'from', m = msg()) =>
  classifyParticipant(email, role, m).isHuman;

describe('classifyParticipant', () => {
  it('calls role and no-reply addresses robots, with a reason', () => {
    for (const e of [
      'noreply@x.com',
      'do_not_reply@x.com',
      'critical.notice@enron.com',
      'alerts-finance@bank.com',
      'store-news@shop.com',
      'listmaster@x.org',
    ]) {
      expect(human(e)).toBe(false);
    }
    expect(classifyParticipant('noreply@x.com', 'from', msg()).reason).toMatch(/role/);
  });

  it('calls minted, numbered and newsletter addresses robots', () => {
    for (const e of [
      '1.10969419.-2@multexinvestornetwork.com',
      'networkcommerce-tdsd20011228@ombramarketing.com',
      'unsubscribe-i@networkpromotion.com',
      'anchordesk_daily@anchordesk.zdlists.com',
      'software@mail02.unitedmarketingstrategies.com',
      'prizemachine@feedback.iwon.com',
    ])
      expect(human(e), e).toBe(false);
    expect(
      classifyParticipant('1.10969419.-2@multexinvestornetwork.com', 'from', msg()).reason,
    ).toMatch(/machine-generated/);
    for (const e of ['pallen70@hotmail.com', 'john.smith1970@gmail.com', 'jane@mail.utexas.edu'])
      expect(human(e), e).toBe(true);
  });

  it('reads a long role word closing a run-together local part', () => {
    for (const e of [
      'crcommunications@grid.example',
      'energynewsletter@x.example',
      'hghwebmaster@x.example',
    ])
      expect(human(e), e).toBe(false);
    // Short role words stay whole words only: these are people.
    for (const e of ['jinfo@x.example', 'tessales@x.example', 'kmarketingham@x.example'])
      expect(human(e), e).toBe(true);
  });

  it('knows bulk-mail hosts but not ordinary mail hosts', () => {
    expect(human('weather@alerts.weather.com')).toBe(false);
    expect(human('tesco@crr.reply.12hs.com')).toBe(false);
    expect(human('eronn@mail.utexas.edu')).toBe(true);
    expect(human('dontrone@email.msn.com', 'to')).toBe(true);
  });

  it('treats bulk senders as robots, but keeps discussion-list posters human and the list itself a robot', () => {
    expect(
      human(
        'deals@shop.test',
        'from',
        msg({ 'list-unsubscribe': '<https://u>', precedence: 'bulk' }),
      ),
    ).toBe(false);
    const list = msg({
      'list-id': '<ilug.linux.ie>',
      precedence: 'bulk',
      'list-unsubscribe': '<mailto:u>',
    });
    expect(human('colin@merit.ie', 'from', list)).toBe(true);
    expect(human('ilug@linux.ie', 'to', list)).toBe(false);
    expect(human('auto@x.com', 'from', msg({ 'auto-submitted': 'auto-generated' }))).toBe(false);
    // An out-of-office auto-reply comes from a person.
    expect(human('dana@x.com', 'from', msg({ 'auto-submitted': 'auto-replied' }))).toBe(true);
  });

  it('does not let bulk headers alone outweigh a person’s own name on a personal address', () => {
    const m = msg({ 'list-unsubscribe': '<https://u>' }, 'Bob Musser');
    expect(human('bobm@dbsinfo.com', 'from', m)).toBe(true);
    expect(human('news@dbsinfo.com', 'from', m)).toBe(false);
  });

  it('keeps personal addresses with list-like local parts human', () => {
    expect(human('nick-lists@netability.ie')).toBe(true);
    expect(human('kim.godfrey@enron.com')).toBe(true);
  });
});

describe('classifyParticipant and display names', () => {
  const to = (email: string, name: string) => {
    const m = msg();
    m.to = [{ email, name }];
    return classifyParticipant(email, 'to', m);
  };

  it('calls a desk, a committee or a brand by its own name a robot', () => {
    expect(to('gridstatus@iso.example', 'Grid Status')).toMatchObject({ isHuman: false });
    expect(to('tradeops@px.example', 'PX Realtime')).toMatchObject({ isHuman: false });
    expect(to('regcomm@assoc.example', 'US REGULATORY COMMITTEE')).toMatchObject({
      isHuman: false,
      reason: expect.stringMatching(/^group or desk name/),
    });
    expect(to('hello@skyhop.example', 'SkyHop')).toMatchObject({
      isHuman: false,
      reason: expect.stringMatching(/organisation's own name/),
    });
  });

  it('keeps people: on their own domain, with their desk beside their name', () => {
    expect(to('ben@benmarlow.example', 'Ben Marlow').isHuman).toBe(true);
    expect(to('marlow@marlow.example', 'Marlow').isHuman).toBe(true);
    expect(to('dana.lee@corp.example', 'Dana Lee (Support)').isHuman).toBe(true);
    expect(to('dana.lee@corp.example', 'Dana Lee - Customer Care').isHuman).toBe(true);
  });

  it('reads a TMDA-tagged address as the person it belongs to', () => {
    expect(human('cwg-dated-1030810636.135787@host.example')).toBe(true);
    expect(human('news-dated-1030810636.135787@host.example')).toBe(false);
  });
});

describe('classifyParticipant and a mailing’s footer', () => {
  const body = 'This week in energy markets: prices, pipelines and the weather. '.repeat(20);
  const withText = (text: string, fromName: string | null = null, headers = {}) => ({
    ...msg(headers, fromName),
    text,
  });
  const sender = (m: ParsedMessage) => classifyParticipant('sender@x.com', 'from', m);

  it('calls the sender of a mailing that says how to unsubscribe a robot, without bulk headers', () => {
    for (const footer of [
      'To unsubscribe, click here: http://x.com/u?id=1',
      'You are receiving this email because you signed up at x.com.',
      'If you no longer wish to receive these offers, reply with REMOVE.',
      'To be removed from our mailing list, visit http://x.com/remove',
    ]) {
      const r = sender(withText(`${body}\n\n${footer}\n`));
      expect(r, footer).toMatchObject({ isHuman: false, reason: /unsubscribe footer/ });
    }
  });

  it('keeps people: a forwarded mailing, a disclaimer, a list’s own footer, a short note, a named sender', () => {
    const footer = 'To unsubscribe, click here: http://x.com/u?id=1';
    for (const text of [
      `FYI, worth a read.\n\n-----Original Message-----\nFrom: News\n\n${body}\n${footer}`,
      `See you Tuesday.\n\n> ${body}\n> ${footer}`,
      `${body}\n\nIf you have received this message in error, please notify the sender.`,
      `${body}\n\nTo unsubscribe: send mail to majordomo@wireless.example\nwith "unsubscribe melbwireless" in the body of the message`,
      `${body}\n\nTo unsubscribe from this group, send an email to: energy-unsubscribe@groups.example`,
      'How do I opt out of these mails? To unsubscribe from this I tried everything.',
    ])
      expect(sender(withText(text)).isHuman, text.slice(-60)).toBe(true);
    // A person's own name on their own address (a middle initial too) outweighs the footer.
    expect(
      classifyParticipant('mark.haedicke@x.com', 'from', {
        ...withText(`${body}\n${footer}`, 'Mark E Haedicke'),
        from: { email: 'mark.haedicke@x.com', name: 'Mark E Haedicke' },
      }).isHuman,
    ).toBe(true);
    // A discussion list's posters stay people whatever its footer says.
    expect(
      sender(withText(`${body}\n${footer}`, null, { 'list-id': '<energy.x.com>' })).isHuman,
    ).toBe(true);
  });
});
