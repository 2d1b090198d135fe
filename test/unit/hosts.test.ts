// Site profiles as data: the built-in ones are valid, a broken one is refused naming the field,
// URL patterns match as Chrome's do, and records are read from markup and host JSON as text.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { matchesUrl, originsOf, validateProfile, type PageRule } from '../../lib/hosts/profile';
import { readItems } from '../../lib/hosts/api';
import { pageFor, readRecord } from '../../lib/hosts/read';

const base = {
  id: 'acme-crm', name: 'Acme CRM', matches: ['https://crm.acme.example/*'],
  pages: [{ id: 'customers', kind: 'customer', layout: 'list', record: 'tr.c', fields: { hostId: { attribute: 'data-id' }, name: 'td.n' }, anchors: { badge: { selector: 'td.n' } } }],
};

describe('site profiles', () => {
  it('accepts every built-in profile', () => {
    for (const p of BUILTIN_PROFILES) expect(validateProfile(p)).toMatchObject({ ok: true });
  });

  it('takes a row sync anchor and a write-back field only where they can work, naming the field otherwise', () => {
    const problems = (input: unknown) => {
      const r = validateProfile(input);
      return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
    };
    const sync = { selector: 'td.actions', position: 'prepend' };
    expect(problems({ ...base, pages: [{ ...base.pages[0], anchors: { ...base.pages[0].anchors, sync } }] })).toEqual([]);
    expect(problems({ ...base, pages: [{ ...base.pages[0], layout: 'detail', anchors: { ...base.pages[0].anchors, sync } }] })).toEqual([
      'pages[0].anchors.sync goes only on list pages of customers, vendors or items (each row gets "Sync with QB"); remove it from this page',
    ]);
    const kind = { list: { url: '/api/customers' }, update: { url: '/api/customers/{id}' }, fields: { hostId: 'id', name: 'name', qb: 'qb_id' } };
    const withApi = (k: unknown) => ({ ...base, api: { kinds: { customer: k } } });
    expect(problems(withApi({ ...kind, writeBack: { qbId: 'qb' } }))).toEqual([]);
    expect(problems(withApi({ ...kind, writeBack: { qbId: 'quickbooksId' } }))).toEqual([
      'api.kinds.customer.writeBack.qbId is "quickbooksId", which is not one of this kind\'s fields (hostId, name, qb); add it to fields with its path in the app\'s JSON, like "quickbooksId": "quickbooks_id"',
    ]);
    expect(problems(withApi({ ...kind, update: undefined, writeBack: { qbId: 'qb' } }))).toEqual(['api.kinds.customer.writeBack needs update (how a record is changed in the app) to write the QuickBooks id back']);
  });

  it('refuses broken profiles, naming the field and what to put there', () => {
    const problems = (input: unknown) => {
      const r = validateProfile(input);
      return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
    };
    expect(problems({ ...base, matches: ['crm.acme.example'] })).toEqual(['matches[0] must be a match pattern like https://app.example.com/*']);
    expect(problems({ ...base, pages: [{ ...base.pages[0], record: undefined }] })).toEqual(['pages[0].record is missing: the CSS selector that finds each record']);
    expect(problems({ ...base, pages: [{ ...base.pages[0], kind: 'lead' }] })[0]).toMatch(/^pages\[0\]\.kind must be one of customer, vendor/);
    expect(problems({ ...base, pages: [{ ...base.pages[0], path: '(' }] })[0]).toMatch(/^pages\[0\]\.path is not a regular expression this extension runs/);
    expect(problems({ ...base, pages: [{ ...base.pages[0], fields: { hostId: 'td.id' } }] })).toEqual(['pages[0].fields.name is required for customer records (the name that is matched with QuickBooks)']);
    expect(problems({ ...base, extra: true })[0]).toMatch(/^\(profile\)/);
    const css = validateProfile({ ...base, pages: [{ ...base.pages[0], record: 'tr[' }] }, (s) => !s.includes('['));
    expect(css).toEqual({ ok: false, problems: [{ path: 'pages[0].record', message: '"tr[" is not a valid CSS selector' }] });
  });

  it('matches URLs as Chrome match patterns do, any port when none is given', () => {
    expect(matchesUrl('http://media.localhost/*', 'http://media.localhost:4101/vendors?rows=5')).toBe(true);
    expect(matchesUrl('http://media.localhost/*', 'http://evil.localhost/media.localhost/')).toBe(false);
    expect(matchesUrl('https://*.acme.example/app/*', 'https://eu.acme.example/app/x')).toBe(true);
    expect(matchesUrl('https://*.acme.example/app/*', 'https://acme.example/app/x')).toBe(true);
    expect(matchesUrl('https://*.acme.example/app/*', 'https://acme.example.evil.com/app/x')).toBe(false);
    expect(matchesUrl('https://*.acme.example/app/*', 'https://evilacme.example/app/x')).toBe(false);
    expect(matchesUrl('https://app.acme.example:8443/*', 'https://app.acme.example/x')).toBe(false);
    expect(matchesUrl('*://app.acme.example/*', 'http://app.acme.example/x')).toBe(true);
    expect(matchesUrl('*://app.acme.example/*', 'ftp://app.acme.example/x')).toBe(false);
    expect(matchesUrl('https://app.acme.example/a*b*c', 'https://app.acme.example/a-x-b-y-c')).toBe(true);
    expect(matchesUrl('https://app.acme.example/a*b*c', 'https://app.acme.example/a-x-b-y-c-d')).toBe(false);
    expect(originsOf(BUILTIN_PROFILES[0])).toEqual(['http://media.localhost/*']);
  });
});

describe('reading records', () => {
  const { document } = parseHTML(`<table><tbody>
    <tr class="part-row" id="p-1"><td class="col-part-number"> 820412-001 </td><td class="col-revision">B</td><td class="name">&lt;img src=x onerror=alert(1)&gt; Media</td></tr>
    <tr class="part-row"><td class="col-part-number"></td></tr></tbody></table>`);
  const page = BUILTIN_PROFILES.find((p) => p.id === 'forge-erp')!.pages.find((p) => p.id === 'parts')! as PageRule;

  it('reads fields by selector, attribute, pattern, template and URL, as text', () => {
    const [row, empty] = document.querySelectorAll('tr.part-row');
    expect(readRecord(row, page, { pathname: '/parts' })).toMatchObject({ hostId: '820412-001-B', fields: { name: '820412-001 Rev B' } });
    expect(readRecord(empty, { ...page, fields: { hostId: { selector: 'td.col-part-number' } } } as PageRule, { pathname: '/parts' })).toBeUndefined();
    const hostile = { ...page, fields: { hostId: { attribute: 'id', pattern: '^p-(\\d+)$' }, name: 'td.name' } } as PageRule;
    expect(readRecord(row, hostile, { pathname: '/' })).toMatchObject({ hostId: '1', fields: { name: '<img src=x onerror=alert(1)> Media' } });
    const fromUrl = { ...page, fields: { hostId: { fromUrl: '^/contacts/(\\d+)' }, name: 'td.name' } } as PageRule;
    expect(readRecord(row, fromUrl, { pathname: '/contacts/2001' })?.hostId).toBe('2001');
  });

  it("reads records from a host app's API answer", () => {
    const bills = BUILTIN_PROFILES.find((p) => p.id === 'paystream')!.api!.kinds.bill;
    const json = { response_status: 0, response_data: [{ id: '00n01', invoiceNumber: 'INV-7', vendor: { name: 'PG&E' }, amount: 12.5 }, { nope: 1 }] };
    expect(readItems(json, bills)).toEqual([{ hostId: '00n01', fields: { hostId: '00n01', number: 'INV-7', party: 'PG&E', amount: '12.5' } }]);
    // Not a list where the profile says: not an empty list (nothing is taken as deleted).
    expect(readItems({ response_data: 'not a list' }, bills)).toBeUndefined();
    const withLines = { ...bills, lines: { path: 'lines', fields: { description: 'description', amount: 'amount' } } };
    expect(readItems({ response_data: [{ id: 'b', lines: [{ description: 'Rent', amount: 100 }] }] }, withLines)?.[0].lines).toEqual([{ description: 'Rent', amount: '100' }]);
  });

  it('folds the older endpoints list into api, and refuses APIs off the app\'s site', () => {
    const folded = validateProfile({ ...base, endpoints: [{ kind: 'customer', url: '/api/c', items: 'data', fields: { hostId: 'id', name: 'n' } }] });
    expect(folded).toMatchObject({ ok: true, profile: { api: { kinds: { customer: { list: { url: '/api/c', items: 'data' }, fields: { hostId: 'id', name: 'n' } } } } } });
    const problems = (api: unknown) => {
      const r = validateProfile({ ...base, api });
      return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
    };
    const kinds = { customer: { list: { url: '/api/customers' }, fields: { hostId: 'id' } } };
    expect(problems({ kinds: { customer: { ...kinds.customer, list: { url: 'https://evil.example/steal' } } } })[0]).toMatch(/^api\.kinds\.customer\.list\.url must be a path on the host app/);
    expect(problems({ kinds: { customer: { ...kinds.customer, list: { url: '//evil.example/steal' } } } })[0]).toMatch(/^api\.kinds\.customer\.list\.url must be a path/);
    expect(problems({ origin: 'https://api.evil.example', kinds })).toEqual(['api.origin is not on the site the profile covers (crm.acme.example); the API must be on the app\'s own site']);
    expect(problems({ origin: 'http://api.acme.example', kinds })[0]).toMatch(/^api\.origin must be an https origin/);
    expect(problems({ origin: 'https://api.acme.example', kinds })).toEqual([]);
    const withApi = validateProfile({ ...base, api: { origin: 'https://api.acme.example', kinds } });
    expect(withApi.ok && originsOf(withApi.profile)).toEqual(['https://crm.acme.example/*', 'https://api.acme.example/*']);
  });

  it('keeps at most 300 characters of a field, whitespace collapsed', () => {
    const { document: doc } = parseHTML(`<div id="r" data-id="7"><span class="n">  ${'x'.repeat(200)}\n\n   ${'y'.repeat(200)} </span></div>`);
    const long = { ...page, fields: { hostId: { attribute: 'data-id' }, name: 'span.n' } } as PageRule;
    expect(readRecord(doc.getElementById('r')!, long, { pathname: '/' })?.fields.name).toBe(`${'x'.repeat(200)} ${'y'.repeat(99)}`);
    const [fromJson] = readItems([{ id: 'z'.repeat(400) }], { list: { url: '/api/v' }, fields: { hostId: 'id' } })!;
    expect(fromJson.hostId).toBe('z'.repeat(300));
  });

  it('picks the first page, in profile order, whose path fits', () => {
    const erp = BUILTIN_PROFILES.find((p) => p.id === 'forge-erp')!;
    const anyPath = { ...base, pages: [{ ...base.pages[0], id: 'any' }] } as unknown as typeof erp;
    expect(pageFor([erp, anyPath], '/purchase-orders/12')).toMatchObject({ profile: { id: 'forge-erp' }, page: { id: 'purchase-order' } });
    expect(pageFor([erp, anyPath], '/elsewhere')).toMatchObject({ profile: { id: 'acme-crm' }, page: { id: 'any' } });
    expect(pageFor([erp], '/elsewhere')).toBeUndefined();
  });
});
