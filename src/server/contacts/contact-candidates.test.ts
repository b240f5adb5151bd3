import { describe, expect, it } from 'vitest';
import { message } from '../../../test/fixtures/mbox-builder';
import { parseMessage } from '../mail/parse-message';
import { contactCandidates, messageEvidence } from './contact-candidates';

describe('contactCandidates', () => {
  it('leaves out the owners as they are when it runs, whatever the evidence was worked out with', async () => {
    // The evidence was worked out before the owner's other address was known (a parse worker
    // reads ahead of an alias an earlier file teaches).
    const m = await parseMessage({
      raw: Buffer.from(
        message({ from: 'Olive <olive@home.test>', to: 'Dana <dana@y.com>', subject: 'x' }),
      ),
      source: 'mbox',
    });
    const withEvidence = { ...m, evidence: messageEvidence(m, new Set(['owner@rapport.test'])) };
    expect(withEvidence.evidence.people.map((p) => p.email)).toContain('olive@home.test');
    const owners = new Set(['owner@rapport.test', 'olive@home.test']);
    expect(contactCandidates([withEvidence], owners).map((c) => c.email)).toEqual(['dana@y.com']);
    expect(contactCandidates([m], owners).map((c) => c.email)).toEqual(['dana@y.com']);
  });

  it('keeps a full signature’s fields when a bare sign-off follows it in the batch', async () => {
    const from = 'Kim Godfrey <kim.godfrey@enron.com>';
    const full = [
      'See the attached plan.',
      '',
      'Kim Godfrey',
      'Director, Enterprise Services',
      'Enron Broadband Services',
      '(713) 345-8813',
    ].join('\n');
    const parse = (date: string, body: string) =>
      parseMessage({
        raw: Buffer.from(message({ from, to: 'owner@rapport.test', subject: 'Plan', date, body })),
        source: 'mbox',
      });
    const batch = [
      await parse('Mon, 5 Mar 2001 10:00:00 -0600', full),
      await parse('Tue, 6 Mar 2001 10:00:00 -0600', 'Fine by me.\n\nKim'),
    ];
    const owners = new Set(['owner@rapport.test']);
    for (const messages of [batch, [...batch].reverse()]) {
      const [kim] = contactCandidates(messages, owners);
      expect(kim).toMatchObject({
        title: 'Director, Enterprise Services',
        company: 'Enron Broadband Services',
        phones: [{ number: '+17133458813' }],
        evidenceAt: '2001-03-05T16:00:00.000Z',
      });
    }
  });
});
