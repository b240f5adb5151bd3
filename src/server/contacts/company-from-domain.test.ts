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
