// Site profiles are user input, run on text from untrusted pages: they must name sites, keep
// plain http on this computer unless the user accepts it, and no regular expression or match
// pattern may take more than time in proportion to its text, whatever its shape.
import { describe, expect, it } from 'vitest';
import { pageFor, readField } from '../../lib/hosts/read';
import { firstGroup, globMatch, testPattern } from '../../lib/hosts/pattern';
import { matchesUrl, validateProfile, type SiteProfile } from '../../lib/hosts/profile';

const page = { id: 'customers', kind: 'customer', layout: 'list', record: 'tr', fields: { hostId: { attribute: 'data-id' }, name: 'td' }, anchors: { badge: { selector: 'td' } } };
const profile = (over: Record<string, unknown> = {}) => ({ id: 'acme', name: 'Acme', matches: ['https://app.acme.example/*'], pages: [page], ...over });
const problems = (input: unknown) => {
  const r = validateProfile(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.message}`);
};

/** Milliseconds a call takes (to show a bound is far away, not to assert speed: see the limits). */
function took(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

describe('match patterns name sites', () => {
  it('refuses patterns for every site, or every site under a top-level domain', () => {
    expect(problems(profile({ matches: ['*://*/*'] }))).toEqual(["matches[0] matches every site; name the host app's site, like https://app.example.com/*"]);
    expect(problems(profile({ matches: ['https://*/*'] }))[0]).toMatch(/^matches\[0\] matches every site;/);
    expect(problems(profile({ matches: ['https://*.com/*'] }))).toEqual(["matches[0] matches every site under .com; name the host app's site, like https://*.example.com/*"]);
    expect(problems(profile({ matches: ['https://*.acme.example/*'] }))).toEqual([]);
  });

  it('keeps plain http to this computer unless the profile accepts it', () => {
    expect(problems(profile({ matches: ['http://app.acme.example/*'] }))[0]).toMatch(/^matches\[0\] uses plain http, which sends your session with the host app unencrypted; use https:\/\/, or add "allowHttp": true/);
    expect(problems(profile({ matches: ['*://app.acme.example/*'] }))[0]).toMatch(/uses plain http/);
    expect(problems(profile({ matches: ['http://app.acme.example/*'], allowHttp: true }))).toEqual([]);
    for (const local of ['http://localhost/*', 'http://127.0.0.1:8080/*', 'http://crm.localhost/*', 'http://*.localhost/*']) expect(problems(profile({ matches: [local] })), local).toEqual([]);
  });

  it('asks for the page address as the id wherever QuickBooks details are shown', () => {
    const detail = { ...page, id: 'customer', layout: 'detail', anchors: { badge: { selector: 'h1' }, summary: { selector: 'aside' } } };
    expect(problems(profile({ pages: [detail] }))[0]).toMatch(/^pages\[0\]\.fields\.hostId must be read from the page's address/);
    expect(problems(profile({ pages: [{ ...detail, fields: { hostId: { fromUrl: '^/customers/(\\d+)' }, name: 'h1' } }] }))).toEqual([]);
  });

  it('refuses host endpoints that leave the app, even protocol-relative ones', () => {
    const endpoint = (url: string) => profile({ endpoints: [{ kind: 'customer', url, fields: { hostId: 'id' } }] });
    expect(problems(endpoint('//evil.example/steal'))[0]).toMatch(/^api\.kinds\.customer\.list\.url must be a path on the host app/);
    expect(problems(endpoint('https://evil.example/x'))[0]).toMatch(/^api\.kinds\.customer\.list\.url/);
    expect(problems(endpoint('/api/customers'))).toEqual([]);
  });
});

describe('regular expressions with bounded cost', () => {
  const EVIL = ['(a+)+$', '(a|a)*$', '(a*)*b', '^(\\w+\\s?)*$', '(.*a){12}', 'a*a*a*a*a*a*a*a*b'];

  it('refuses what RE2 does not run, with words that say so', () => {
    expect(problems(profile({ pages: [{ ...page, path: '^(a)\\1$' }] }))[0]).toMatch(/^pages\[0\]\.path is not a regular expression this extension runs \(backreferences and lookarounds are not supported\)/);
    expect(problems(profile({ pages: [{ ...page, path: '^(?=a)' }] }))[0]).toMatch(/lookarounds are not supported/);
    expect(problems(profile({ pages: [{ ...page, path: 'x'.repeat(501) }] }))[0]).toMatch(/is longer than 500 characters/);
  });

  it('runs each catastrophic shape in time proportional to the text (a 2 MB path included)', () => {
    const text = `${'a'.repeat(2_000_000)}!`;
    for (const source of EVIL) {
      expect(problems(profile({ pages: [{ ...page, path: source }] })), source).toEqual([]);
      // The browser's own engine would not finish (V8: minutes for 30 characters); RE2 reads 2 MB.
      const ms = took(() => testPattern(source, text));
      expect(ms, source).toBeLessThan(5_000);
    }
    expect(firstGroup('^/contacts/(\\d+)', '/contacts/2001/notes')).toBe('2001');
  });

  it('fits no page and reads no id from a path a page made absurdly long', () => {
    const profiles = [{ pages: [{ ...page, path: '^/(a+)+$' }] }] as unknown as SiteProfile[];
    const long = `/${'a'.repeat(2_000_000)}`;
    expect(took(() => expect(pageFor(profiles, long)).toBeUndefined())).toBeLessThan(1_000);
    expect(readField({ fromUrl: '^/(a+)+$' }, undefined, { pathname: long })).toBe('');
    expect(pageFor(profiles, '/aaa')?.page.path).toBe('^/(a+)+$');
  });

  it('matches URLs against many-star patterns without backtracking', () => {
    const pattern = `https://app.acme.example/${'*a'.repeat(40)}*b`;
    const url = `https://app.acme.example/${'a'.repeat(200_000)}`;
    expect(took(() => expect(matchesUrl(pattern, url)).toBe(false))).toBeLessThan(5_000);
    expect(globMatch('*a*b', 'xxaxxb')).toBe(true);
    expect(globMatch('*a*b', 'xxbxxa')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
  });
});
