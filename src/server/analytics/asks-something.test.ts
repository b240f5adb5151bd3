import { describe, expect, it } from 'vitest';
import { asksSomething } from './asks-something';

describe('asksSomething', () => {
  it('hears a question or a request in the sender’s own words', () => {
    expect(asksSomething('Budget', 'What is the Q2 budget?')).toBe(true);
    expect(asksSomething('Budget', 'Could you send me the Q2 numbers.')).toBe(true);
    expect(asksSomething('Re: Budget', 'Let me know by Friday.\n\nDana')).toBe(true);
  });

  it('ignores questions in the quoted or forwarded part', () => {
    const reply = 'Thanks, done.\n\n-----Original Message-----\nFrom: me\nCan you do it?';
    expect(asksSomething('Re: Budget', reply)).toBe(false);
    expect(asksSomething('Re: Budget', 'Sounds good.\n\n> Shall we meet on Monday?')).toBe(false);
    const forward =
      '---------------------- Forwarded by Dana on 05/14/2001 10:00 AM ---------------------------\nAny thoughts on the memo?';
    expect(asksSomething('Fw: memo', forward)).toBe(false);
  });

  it('takes an FYI for what it is', () => {
    expect(asksSomething('FYI: new org chart', 'Can you believe it?')).toBe(false);
    expect(asksSomething('Fw: FYI', 'See the chart.')).toBe(false);
    expect(asksSomething('Org chart', 'FYI - the new chart is out. Any questions, ask Kim?')).toBe(
      false,
    );
    expect(asksSomething('Chart', 'The chart is attached, no need to reply.')).toBe(false);
  });

  it('hears nothing asked in a mass mailing, however it is addressed', () => {
    const sale =
      'Save big this week! Why wait?\n\nIf you would rather not receive future e-mails of this sort, visit Communication Preferences.';
    expect(asksSomething('Clearance event', sale)).toBe(false);
    expect(asksSomething('News', '[IMAGE] [IMAGE]\n[IMAGE] Want to work from home?')).toBe(false);
  });

  it('does not hear the question of a webmail’s advertisement', () => {
    const greeting = `Hi Harry,\nMy best wishes for a happy 2002.\nAsokan\n\n${'_'.repeat(50)}\nDo You Yahoo!?\nSend your FREE holiday greetings online!`;
    expect(asksSomething('Happy new year', greeting)).toBe(false);
  });

  it('does not take courtesy or a link for a request', () => {
    expect(asksSomething('Report', 'Please find attached the weekly report.')).toBe(false);
    expect(asksSomething('Link', 'The page is at http://example.com/view?id=7 now.')).toBe(false);
    expect(
      asksSomething('Report', 'Please find attached the report. Please review by Monday.'),
    ).toBe(true);
  });
});
