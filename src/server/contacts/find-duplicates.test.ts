import { describe, expect, it } from 'vitest';
import { findDuplicates, pairKey, type DuplicateCandidate } from './find-duplicates';

let n = 0;
const c = (email: string, name: string | null, more: Partial<DuplicateCandidate> = {}) => ({
  id: `c${++n}-${email}`,
  email,
  name,
  company: null,
  phones: [],
  totalEmails: 1,
  ...more,
});
const emailsOf = (groups: { contactIds: string[] }[], all: DuplicateCandidate[]) =>
  groups.map((g) => g.contactIds.map((id) => all.find((x) => x.id === id)!.email).sort());

describe('findDuplicates', () => {
  it('finds name variants at one organisation: punctuation, initials, order, case', () => {
    const all = [
      c('jeffrey.gossett@enron.com', 'Jeffrey C Gossett', { totalEmails: 5 }),
      c('c..gossett@enron.com', 'Gossett, Jeffrey C.'),
      c('jane.tholt@enron.com', 'Jane M Tholt'),
      c('m..tholt@enron.com', 'JANE M. THOLT'),
      c('jane.m.tholt@ect.enron.com', 'Jane Tholt'),
      c('kevin.presto@enron.com', 'Kevin Presto'),
      c('darin.presto@enron.com', 'Darin Presto'),
    ];
    const groups = findDuplicates(all);
    expect(emailsOf(groups, all)).toEqual([
      ['c..gossett@enron.com', 'jeffrey.gossett@enron.com'],
      ['jane.m.tholt@ect.enron.com', 'jane.tholt@enron.com', 'm..tholt@enron.com'],
    ]);
    // The busiest first: the one a merge keeps.
    expect(groups[0]!.contactIds[0]).toBe(all[0]!.id);
    expect(groups[0]!.reasons).toEqual(['The same name, both at enron.com']);
    expect(groups[0]!.confidence).toBeGreaterThan(0.9);
  });

  it('never pairs two people whose middle initials or signed companies differ', () => {
    const all = [
      c('james.steffes@enron.com', 'James D Steffes'),
      c('james.w.steffes@enron.com', 'James W Steffes'),
      c('ann.lee@globex.com', 'Ann Lee', { company: 'Globex' }),
      c('ann.lee@gmail.com', 'Ann Lee', { company: 'Initech' }),
    ];
    expect(findDuplicates(all)).toEqual([]);
  });

  it('links two domains of one organisation by the people they share', () => {
    const all = [
      c('tim.belden@enron.com', 'Tim Belden'),
      c('tim_belden@pgn.com', 'Tim Belden'),
      c('sean.crandall@enron.com', 'Sean Crandall'),
      c('sean_crandall@pgn.com', 'Sean Crandall'),
      c('alex@eccointl.com', 'Alex Papalexopoulos'),
      c('adp3@pge.com', 'Alex Papalexopoulos'),
    ];
    const groups = findDuplicates(all);
    expect(groups.map((g) => g.confidence)).toEqual([0.9, 0.9, 0.5]);
    expect(groups[0]!.reasons[0]).toMatch(
      /at enron\.com and pgn\.com, which share 2 people's names/,
    );
    expect(groups[2]!.reasons[0]).toMatch(/two organisations: check/);
  });

  it('pairs a personal mailbox, a short first name, an address that spells a name, a shared phone', () => {
    const all = [
      c('gurmeet.x.singh@accenture.com', 'Gurmeet Singh'),
      c('gurmeet.j.singh@att.net', 'Gurmeet Singh'),
      c('mike.purcell@enron.com', 'Michael Purcell'),
      c('mpurcell@enron.com', 'Mike Purcell'),
      c('jtholt@enron.com', null),
      c('jane.tholt@enron.com', 'Jane Tholt'),
      c('gthorse@keyad.example', null),
      c('gthorse@about-cis.example', 'Greg Thorse'),
      c('dana@home.example', 'Dana S.', { phones: ['+17135550101'] }),
      c('dscully@fbi.example', 'Dana Scully', { phones: ['+17135550101'] }),
    ];
    const groups = findDuplicates(all);
    expect(emailsOf(groups, all)).toEqual(
      expect.arrayContaining([
        ['gurmeet.j.singh@att.net', 'gurmeet.x.singh@accenture.com'],
        ['mike.purcell@enron.com', 'mpurcell@enron.com'],
        ['jane.tholt@enron.com', 'jtholt@enron.com'],
        ['dana@home.example', 'dscully@fbi.example'],
        ['gthorse@about-cis.example', 'gthorse@keyad.example'],
      ]),
    );
    const reasons = groups.flatMap((g) => g.reasons);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'The same name; gurmeet.j.singh@att.net is a personal mailbox',
        'Mike is short for Michael; the same name, both at enron.com',
        "jtholt spells Jane Tholt's name, at enron.com",
        'Both sign with +17135550101',
      ]),
    );
  });

  it('leaves an address that could spell two people, a switchboard number, and dismissed pairs', () => {
    const all = [
      c('pallen@enron.com', null),
      c('phillip.allen@enron.com', 'Phillip Allen'),
      c('paul.allen@enron.com', 'Paul Allen'),
      c('a@acme.example', 'Ann One', { phones: ['+15550000'] }),
      c('b@acme.example', 'Bo Two', { phones: ['+15550000'] }),
      c('c@acme.example', 'Cy Three', { phones: ['+15550000'] }),
      c('kim@x.example', 'Kim Park'),
      c('kim.park@x.example', 'Kim Park'),
    ];
    const dismissed = new Set([pairKey(all[6]!.id, all[7]!.id)]);
    expect(findDuplicates(all, dismissed)).toEqual([]);
  });

  it('takes a name that many contacts share for a common one, not one person', () => {
    const many = Array.from({ length: 13 }, (_, i) => c(`ann.smith${i}@acme.example`, 'Ann Smith'));
    expect(findDuplicates(many)).toEqual([]);
    expect(findDuplicates(many.slice(0, 2))).toHaveLength(1);
  });
});
