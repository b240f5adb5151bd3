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
});
