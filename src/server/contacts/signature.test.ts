import { describe, expect, it } from 'vitest';
import { ownText, withoutPgpArmour } from './reply-zones';
import { extractSignature } from './signature';

describe('ownText', () => {
  it('cuts quoted replies, Outlook and Notes headers, forwards, list footers and disclaimers', () => {
    const cases = [
      'Sounds good.\n\nOn Mon, Jan 5, 2026 at 10:00 AM, Dana <d@x.com> wrote:\n> earlier text',
      'Sounds good.\n\n-----Original Message-----\nFrom: Dana\nSent: Monday',
      'Sounds good.\n\nFrom: Dana Scully [mailto:d@x.com]\nSent: Monday, January 5, 2026\nTo: me',
      'Sounds good.\n\n\n\nJeff Dasovich@ENRON on 05/14/2001 10:00 AM\nTo: ...',
      'Sounds good.\n---------------------- Forwarded by Kim Ward/HOU/ECT on 05/14/2001 ---',
      'Sounds good.\n_______________________________________________\nIlug mailing list\nIlug@linux.ie',
      'Sounds good.\n\nThis e-mail and any attachments are confidential and intended solely for the addressee.',
      'Sounds good.\n\n> quoted line\n> another',
    ];
    for (const c of cases) expect(ownText(c)).toBe('Sounds good.');
  });

  it('drops attachment placeholders left below the text', () => {
    expect(
      ownText('Sounds good.\nKim\n\n <<Q3 plan.xls>>\n\n - Q3 plan.xls\n - notes 5-24-01.PDF'),
    ).toBe('Sounds good.\nKim');
    // A signature line that only looks like a file name stays.
    expect(ownText('Sounds good.\n- Kim.Godfrey')).toBe('Sounds good.\n- Kim.Godfrey');
  });
});

describe('withoutPgpArmour', () => {
  const signed = [
    '-----BEGIN PGP SIGNED MESSAGE-----',
    'Hash: SHA1',
    '',
    'Patch attached.',
    '- ---------- a dashed line of the text',
    '',
    '- -- ',
    'Dana Scully   https://dana.example.org',
    '-----BEGIN PGP SIGNATURE-----',
    'Version: GnuPG v1.0.7',
    '',
    'iD8DBQE9mJ6XoayJfLoDSdIRAkaQAJ9NL83MUU6bJRB19x7MgRaDQhc3ZwCfRK5d',
    '=sJtk',
    '-----END PGP SIGNATURE-----',
    '',
    'List footer',
  ].join('\n');

  it('gives the text as written: armour out, dash-escaping undone', () => {
    expect(withoutPgpArmour(signed)).toBe(
      [
        'Patch attached.',
        '---------- a dashed line of the text',
        '',
        '-- ',
        'Dana Scully   https://dana.example.org',
        '',
        '',
        'List footer',
      ].join('\n'),
    );
  });

  it('leaves plain text and quoted signed text alone', () => {
    const quoted = signed
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    expect(withoutPgpArmour(quoted)).toBe(quoted);
    expect(withoutPgpArmour('- a list item\n- another')).toBe('- a list item\n- another');
    // A signature block without the armour header: the text above it was not dash-escaped.
    expect(withoutPgpArmour(`- item\n${signed.split('\n').slice(8).join('\n')}`)).toBe(
      '- item\n\n\nList footer',
    );
  });
});

describe('extractSignature', () => {
  const sender = { email: 'kim.godfrey@enron.com', name: null };

  it('reads name, title, company and typed phones from the sender’s block', () => {
    const text = [
      'Dana,',
      '',
      'Please see the attached proposal.',
      '',
      'Thanks,',
      'Kim Godfrey',
      'Director, Enterprise Services',
      'Enron Broadband Services',
      '713 345 8813 (office)',
      'Cell: 713.501.8105',
      'Fax 713-853-7354',
      '',
      '-----Original Message-----',
      'From: Dana Scully',
      'Dana Scully, VP Sales, Acme Inc, 212 555 0100',
    ].join('\n');
    const s = extractSignature(text, sender);
    expect(s.name).toBe('Kim Godfrey');
    expect(s.title).toBe('Director, Enterprise Services');
    expect(s.company).toBe('Enron Broadband Services');
    expect(s.phones.map((p) => [p.e164, p.type])).toEqual([
      ['+17133458813', 'office'],
      ['+17135018105', 'mobile'],
      ['+17138537354', 'fax'],
    ]);
  });

  it('splits "Title, Company", finds extensions, links and a postal address after a -- line', () => {
    const text = [
      'See you Tuesday.',
      '-- ',
      'Dana Scully | Head of Partnerships, Northwind Traders LLC',
      '1200 Fifth Avenue, Suite 400',
      'Seattle, WA 98101',
      'Tel: +1 (206) 555-0142 ext. 12',
      'https://www.linkedin.com/in/dana-scully',
      'www.northwind-traders.com',
    ].join('\n');
    const s = extractSignature(text, { email: 'dana@northwind-traders.com', name: 'Dana Scully' });
    expect(s).toMatchObject({
      name: 'Dana Scully',
      title: 'Head of Partnerships',
      company: 'Northwind Traders LLC',
      postalAddress: '1200 Fifth Avenue, Suite 400, Seattle, WA 98101',
    });
    expect(s.phones).toEqual([
      expect.objectContaining({ e164: '+12065550142', extension: '12', type: 'office' }),
    ]);
    expect(s.links.linkedin).toEqual(['https://www.linkedin.com/in/dana-scully']);
    expect(s.links.websites).toEqual(['www.northwind-traders.com']);
  });

  it('finds nothing in a message without a signature, and ignores numbers in the body', () => {
    const text = 'Call me on the conference line 1-800-555-0199 at 10.\n\nThanks!';
    expect(extractSignature(text, sender).phones).toEqual([]);
  });

  it('does not read someone else’s quoted signature as the sender’s', () => {
    const text = ['ok', '', '> Dana Scully', '> VP Sales, Acme Inc', '> 212 555 0100'].join('\n');
    expect(extractSignature(text, { email: 'sam@x.com', name: 'Sam Vimes' }).block).toEqual([]);
  });
});

describe('extractSignature on one-line signatures', () => {
  it('reads a title and phone after the name, and never takes an address for a name', () => {
    const text = [
      'Will do.',
      '-- ',
      'Gregory Alan Bolcer, CTO  | work: +1.949.833.2800',
      'gbolcer at endeavors.com  | http://endeavors.com',
      'Endeavors Technology, Inc. (Irvine)| cell: +1.714.928.5476',
    ].join('\n');
    const s = extractSignature(text, { email: 'gbolcer@endeavors.com', name: 'Greg Bolcer' });
    expect(s).toMatchObject({
      name: 'Gregory Alan Bolcer',
      title: 'CTO',
      company: 'Endeavors Technology, Inc.',
    });
    expect(s.phones.map((p) => [p.e164, p.type])).toEqual([
      ['+19498332800', 'office'],
      ['+17149285476', 'mobile'],
    ]);
    expect(s.links.websites).toEqual(['http://endeavors.com']);
  });
});

describe('extractSignature and the sender’s domain', () => {
  it('splits "Title, Company" when the company is the domain’s name', () => {
    const text =
      'Thanks!\n\nBest,\nAmara Brennan\nProcurement Manager, Marigold Foods\ncell (612) 555-0199';
    const s = extractSignature(text, {
      email: 'amara.brennan@marigoldfoods.com',
      name: 'Amara Brennan',
    });
    expect(s).toMatchObject({ title: 'Procurement Manager', company: 'Marigold Foods' });
  });
});

describe('extractSignature keeps prose and boilerplate out of the fields', () => {
  it('takes no sentence for a title, and no quip for one', () => {
    for (const line of [
      'The fellow from Northwind keeps calling me to check on his access',
      "If you're looking at me to be an accountant",
      '(1)  RMT  (as principal for the Houston desk)',
    ]) {
      const s = extractSignature(`Ok, done.\n\nDana Scully\n${line}\n+1 206 555 0142`, {
        email: 'dana.scully@northwind.example',
        name: 'Dana Scully',
      });
      expect(s.name).toBe('Dana Scully');
      expect(s.title).toBeNull();
    }
  });

  it('takes no footer, sentence fragment or lone legal form for a company', () => {
    for (const line of [
      'Copyright 2001 Northwind Traders, Inc. All rights reserved.',
      'position and proposed solutions for the power supply',
      'Northwind Systems and',
      'Inc.',
      'Do You Yahoo!?',
      '<dana (at) northwind {dot} example>',
    ]) {
      const s = extractSignature(`Ok, done.\n\nDana Scully\n${line}`, {
        email: 'dana@mail.example',
        name: 'Dana Scully',
      });
      expect(s.company, line).toBeNull();
    }
    // Real names still pass: lowercase, with "at", with a legal form.
    for (const [line, company] of [
      ['infinetivity, inc.', 'infinetivity, inc.'],
      ['University of Texas at Austin', 'University of Texas at Austin'],
      ['Northwind Traders, LLC', 'Northwind Traders, LLC'],
    ]) {
      const s = extractSignature(`Ok, done.\n\nDana Scully\nEngineer\n${line}`, {
        email: 'dana@mail.example',
        name: 'Dana Scully',
      });
      expect(s.company).toBe(company);
    }
  });

  it('never reads a header line as the sender’s name', () => {
    const s = extractSignature('Agreed.\n\nTo: Jordan\nSubject: the plan\n\nLet us meet.', {
      email: 'bob.jordan@northwind.example',
      name: null,
    });
    expect(s.name).toBeNull();
  });

  it('never reads a quoted line as the sender’s name', () => {
    const s = extractSignature('Agreed.\n\n>Scully On The Background\nThat is what I meant.', {
      email: 'scully@northwind.example',
      name: null,
    });
    expect(s.name).toBeNull();
  });
});

describe('extractSignature around the signature', () => {
  it('reads a clear-signed message’s "- -- " signature, past its PGP block and list footer', () => {
    const text = [
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA1',
      '',
      'The catch-up procedure works now; code below.',
      '',
      ...Array.from({ length: 12 }, (_, i) => `    set line${i} {}`),
      '',
      '- -- ',
      'Tomas Reyes        http://www.pobox.example/~treyes        tomas@impulse.example',
      'Check the website for my PGP key 0A1B2C3D               treyes@pobox.example',
      '',
      '-----BEGIN PGP SIGNATURE-----',
      'Version: GnuPG v1.0.7 (FreeBSD)',
      '',
      'iD8DBQE9mJ6XoayJfLoDSdIRAkaQAJ9NL83MUU6bJRB19x7MgRaDQhc3ZwCfRK5d',
      'PXat04+AnSx4tHjn5p8mZVc=',
      '=sJtk',
      '-----END PGP SIGNATURE-----',
      '',
      '_______________________________________________',
      'Exmh-workers mailing list',
      'https://lists.example.org/listinfo/exmh-workers',
    ].join('\n');
    const s = extractSignature(text, { email: 'treyes@pobox.example', name: 'Tomas Reyes' });
    expect(s.name).toBe('Tomas Reyes');
    expect(s.links.websites).toEqual(['http://www.pobox.example/~treyes']);
  });

  it('reads the framed signature, not the framed slogan below it, and keeps the slogan’s link', () => {
    const text = [
      'Buy tickets now, while the fares are low.',
      '',
      'Sincerely,',
      'Frank',
      '',
      ' <<press clippings 5-24-01.pdf>>',
      '',
      '*'.repeat(60),
      'Frank Levy',
      'CEO, SkyFair',
      '415-378-4942 cell',
      'frank@skyfair.example',
      '*'.repeat(60),
      'SkyFair is the only airline ticket exchange - buy a',
      'ticket at SkyFair and sell it if your plans change.',
      'Visit us today at <http://www.skyfair.example/>',
      '*'.repeat(60),
      '',
      ' - press clippings 5-24-01.pdf',
    ].join('\n');
    const s = extractSignature(text, { email: 'frank@skyfair.example', name: null });
    expect(s).toMatchObject({ name: 'Frank Levy', title: 'CEO', company: 'SkyFair' });
    expect(s.phones.map((p) => [p.e164, p.type])).toEqual([['+14153784942', 'mobile']]);
    expect(s.links.websites).toEqual(['http://www.skyfair.example/']);
  });
});

describe('ownText and extractSignature on hostile text', () => {
  it('still cut Lotus Notes headers indented or a blank line away from their date', () => {
    for (const c of [
      'Sounds good.\n\nKristian J Lande\n\n11/03/2000 08:36 AM\nTo: x',
      'Sounds good.\n\nCooper Richey\n                    06/30/2000 05:08 PM\nTo: x',
      '\n\nSounds good.\n\n\n\n   \n-----Original Message-----\nFrom: Dana',
    ])
      expect(ownText(c)).toBe(c.startsWith('\n') ? '\n\nSounds good.' : 'Sounds good.');
  });

  // A hang guard, not a speed target: each took seconds to minutes before (`^\s*` rescanned a
  // blank run from each of its lines); linear, they take milliseconds.
  it('do not hang on runs of blank lines and on long lines', { timeout: 30_000 }, () => {
    const sender = { email: 'a@b.com', name: 'Ann Bee' };
    for (const unit of ['\n', ' \n', '  \n', '\f\n', 'ab \n', 'From: x\n  \n', ' ']) {
      const text = `Hi\n${unit.repeat(200_000 / unit.length)}x`;
      expect(ownText(text).startsWith('Hi')).toBe(true);
      extractSignature(text, sender);
    }
    const phones = extractSignature(`Hi\n\n--\nAnn\n${'5551234 '.repeat(50_000)}`, sender);
    expect(phones.phones).toEqual([]);
  });
});

describe('signature blocks and numbers that are not phones', () => {
  const sender = { email: 'rhea.okafor@lab.example.edu', name: 'Rhea Okafor' };

  it('reads a signature framed by two rules (the closing rule has nothing below it)', () => {
    const text = [
      'See you on the 11th.',
      'Best,',
      'Rhea',
      '',
      '==============================',
      '   Rhea Okafor',
      '   Associate Professor of Finance',
      '   Example State University',
      '   Voice:  (512) 555-0148',
      '==============================',
      '',
    ].join('\n');
    const sig = extractSignature(text, sender);
    expect(sig).toMatchObject({ name: 'Rhea Okafor', title: 'Associate Professor of Finance' });
    expect(sig.phones.map((p) => p.e164)).toEqual(['+15125550148']);
  });

  it('leaves out messenger ids', () => {
    const text = 'Thanks\n\n--\nRhea Okafor\nICQ# 11466242 - Tel: +44 1865 555380\n';
    expect(extractSignature(text, sender).phones.map((p) => p.e164)).toEqual(['+441865555380']);
  });
});

describe('ownText and cc:Mail replies', () => {
  it('cuts at the Reply Separator, keeping the sender’s own signature', () => {
    const text = [
      'I will be away for two weeks.',
      '',
      '****************************',
      'Rhea Okafor, CFA',
      'Consultant',
      'Northgate Advisory',
      '(415) 555-0187 ph.',
      '',
      '____________________Reply Separator____________________',
      'Subject:    Project',
      'Author: Someone Else <someone@else.example>',
      '',
      'Someone Else',
      'phone: 415-555-0199',
    ].join('\n');
    expect(ownText(text)).not.toMatch(/Someone Else/);
    const sig = extractSignature(text, { email: 'rokafor@northgate.example', name: null });
    expect(sig).toMatchObject({ name: 'Rhea Okafor', title: 'Consultant' });
    expect(sig.phones.map((p) => p.e164)).toEqual(['+14155550187']);
  });
});

describe('extractSignature: what is never a name, a company or a title', () => {
  const jeff = { email: 'jeff.youngflesh@enron.com', name: 'Jeff Youngflesh' };

  it('takes neither a sentence for the name nor the sender’s own first name for the company', () => {
    const s = extractSignature('Sounds good.\n\nI’ll talk w/you later...\nJeff', jeff);
    expect(s.name).toBe('Jeff');
    expect(s.company).toBeNull();
    expect(extractSignature("Sounds good.\n\nI'll talk w/you later...\nJeff", jeff).name).toBe(
      'Jeff',
    );
  });

  it('never reads a greeting as the name line', () => {
    const s = extractSignature('Hi Don,\n\nThe deal closed.\n\nThanks', {
      email: 'don.miller@enron.com',
      name: null,
    });
    expect(s.name).toBeNull();
  });

  it('reads the source of a quote below the signature as neither company nor title', () => {
    const paul = { email: 'paul@clubi.ie', name: 'Paul Jakma' };
    const quip = [
      'Patch attached.',
      '',
      '--',
      'Paul Jakma',
      'Fortune:',
      'Thus spake the master programmer:',
      '"After three days without programming, life becomes meaningless."',
      '-- WOP, "War Games"',
    ].join('\n');
    expect(extractSignature(quip, paul)).toMatchObject({
      name: 'Paul Jakma',
      company: null,
      title: null,
    });
    const lyric =
      'Patch attached.\n\n--\nWaider.\n"and get to the end of the line" - FLC, "Bear Hug"';
    expect(extractSignature(lyric, { email: 'waider@waider.ie', name: null }).company).toBeNull();
  });

  it('reads a rank-led title whatever its role word, a team or desk as no company, and cells between dash runs', () => {
    const norma = { email: 'norma.villarreal@enron.com', name: 'Norma Villarreal' };
    expect(
      extractSignature(
        'See you then.\n\nNorma Villarreal\nSr. Human Resource Represenative\nX31545',
        norma,
      ),
    ).toMatchObject({ title: 'Sr. Human Resource Represenative', company: null });
    const kate = { email: 'kate.symes@enron.com', name: 'Kate Symes' };
    for (const unit of ['Trading Support', 'Terminal Server Operations', 'GCP Team']) {
      const s = extractSignature(`Done.\n\nKate Symes\n${unit}\n503-464-7486`, kate);
      expect(s.name).toBe('Kate Symes');
      expect(s.company).toBeNull();
    }
    // Cells joined by a dash run, and a year range that splits nothing.
    const robin = { email: 'rlfrank@paradigm-omega.com', name: 'Robin Lynn Frank' };
    expect(
      extractSignature(
        'Done.\n\n--\nRobin Lynn Frank---Director of Operations---Paradigm-Omega, LLC',
        robin,
      ),
    ).toMatchObject({ title: 'Director of Operations', company: 'Paradigm-Omega, LLC' });
    expect(
      extractSignature(
        'Done.\n\n--\nAll contents are Copyright (c) 1992--2002 Cisco Systems, Inc. All\nrights reserved.',
        { email: 'tony@cisco.com', name: 'Tony Wright' },
      ).company,
    ).toBeNull();
    // A company's name keeps its company words around them.
    const sam = { email: 'sam@northwind.com', name: 'Sam Lee' };
    expect(
      extractSignature('Done.\n\nSam Lee\nSenior Counsel\nNorthwind Traders Inc.\n', sam),
    ).toMatchObject({ title: 'Senior Counsel', company: 'Northwind Traders Inc.' });
  });
});
