import { describe, expect, it } from 'vitest';
import { localPartSpells, nameKey, personName } from './name-key';

describe('personName', () => {
  it('reads a name whatever its punctuation, case, order or middle initials', () => {
    const key = (s: string) => {
      const n = personName(s);
      return n ? nameKey(n) : null;
    };
    expect(key('Jeffrey C. Gossett')).toBe('jeffrey gossett');
    expect(key('Jeffrey C Gossett')).toBe('jeffrey gossett');
    expect(key('Gossett, Jeffrey C.')).toBe('jeffrey gossett');
    expect(key('GOSSETT, JEFFREY')).toBe('jeffrey gossett');
    expect(key("Ryan O'Rourke")).toBe('ryan orourke');
    expect(key('Brenda Flores-Cuellar')).toBe('brenda florescuellar');
    expect(key('William Stuart III')).toBe('william stuart');
    expect(key('Smith, Jr., John')).toBe('john smith');
    expect(key('Smith, Jr.')).toBeNull();
    expect(key('"Monaco, John [EM]"')).toBe('john monaco');
    expect(key('J. Robert Smith')).toBe('robert smith');
    expect(personName('Jeffrey C. Gossett')?.middle).toEqual(['c']);
  });

  it('is null for one word, an address, a group or a couple', () => {
    expect(personName('Harpreet')).toBeNull();
    expect(personName('jane@x.com')).toBeNull();
    expect(personName('Outlook Migration Team')).toBeNull();
    expect(personName('Enron General Announcements')).toBeNull();
    expect(personName('Roy and Loreli Ibasco')).toBeNull();
    expect(personName('Roy & Loreli Ibasco')).toBeNull();
  });
});

describe('localPartSpells', () => {
  const phillip = personName('Phillip K. Allen')!;
  it('knows the ways addresses spell a name', () => {
    for (const a of [
      'phillip.allen@x.com',
      'pallen@x.com',
      'pallen70@hotmail.com',
      'phillip.k.allen@x.com',
      'allenp@x.com',
      'phillipa@x.com',
    ])
      expect(localPartSpells(a, phillip)).toBe(true);
    expect(localPartSpells('harrysarora@yahoo.com', personName('Harry Arora')!)).toBe(true);
    expect(localPartSpells('jmtholt@x.com', personName('Jane Tholt')!)).toBe(true);
  });

  it('does not take another name for it', () => {
    for (const a of ['steven.l.allen@x.com', 'allen@x.com', 'pa@x.com', 'phil@x.com'])
      expect(localPartSpells(a, phillip)).toBe(false);
  });
});
