import { describe, expect, it } from 'vitest';
import { companyFromDomain, isFreemail, registrableDomain } from './company-from-domain';

describe('companyFromDomain', () => {
  it('names a company once per registrable domain', () => {
    expect(companyFromDomain('dana@northwind-traders.com')).toEqual({
      name: 'Northwind Traders',
      domain: 'northwind-traders.com',
    });
    expect(companyFromDomain('kim.godfrey@enron.com')?.name).toBe('Enron');
    expect(companyFromDomain('x@mail.eu.enron.com')).toEqual({
      name: 'Enron',
      domain: 'enron.com',
    });
  });

  it('spells the name as the address’s display name does, when it holds the same letters', () => {
    expect(companyFromDomain('news@industryweekly.com', ['Industry Weekly'])?.name).toBe(
      'Industry Weekly',
    );
    expect(companyFromDomain('hello@saasmetrics.co', ['SaaS Metrics'])?.name).toBe('SaaS Metrics');
    expect(companyFromDomain('billing@cloudhost.net', ['CloudHost Billing'])?.name).toBe(
      'CloudHost',
    );
    expect(companyFromDomain('digest@techbrief.io', ['[TechBrief]:'])?.name).toBe('TechBrief');
    // Other letters, or a person's name: the domain's own spelling.
    expect(companyFromDomain('dana@northwind-traders.com', ['Dana Scully'])?.name).toBe(
      'Northwind Traders',
    );
    expect(companyFromDomain('ops@codehost.dev', ['Code Host Ops Team', 'CodeHosting'])?.name).toBe(
      'Code Host',
    );
    expect(companyFromDomain('a@quarrycap.com', ['Quarry Capital'])?.name).toBe('Quarrycap');
  });

  it('knows public suffixes: no "Co" or "Uk" companies', () => {
    expect(registrableDomain('a@london.brightwell.co.uk')).toBe('brightwell.co.uk');
    expect(companyFromDomain('a@brightwell.co.uk')?.name).toBe('Brightwell');
  });

  it('gives no company for free-mail addresses', () => {
    for (const e of ['a@gmail.com', 'b@hotmail.com', 'c@yahoo.com', 'd@gmx.de']) {
      expect(isFreemail(e)).toBe(true);
      expect(companyFromDomain(e)).toBeNull();
    }
  });
});
