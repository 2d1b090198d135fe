// Reading many records at once (finderFor) gives exactly what reading each with querySelector
// gives: the first match inside each record, records inside records, selectors reaching outside
// the record, templates, and :scope selectors, which mean something else outside a record.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { finderFor, readRecord, stateKey } from '../../lib/hosts/read';
import type { PageRule } from '../../lib/hosts/profile';

const page = (fields: PageRule['fields']): PageRule =>
  ({ id: 'rows', kind: 'vendor', layout: 'list', record: 'tr.r, div.r', fields, anchors: { badge: { selector: 'td' } } }) as PageRule;

const { document } = parseHTML(`<main class="grid"><table><tbody>
  <tr class="r" data-id="1"><td class="name"><a>Acme</a><a>second link</a></td><td class="email">ap@acme.example</td><td><span class="part">A-1</span> <span class="rev">B</span></td></tr>
  <tr class="r" data-id="2"><td class="name">No link</td><td class="email"></td></tr>
  <tr class="x" data-id="3"><td class="name"><a>Not a record</a></td></tr>
  <tr class="r" data-id="4"><td class="name"><a>Outer</a><div class="r" data-id="5"><span class="name"><a>Inner</a></span></div></td></tr>
</tbody></table></main>`);

const rules: PageRule['fields'][] = [
  { hostId: { attribute: 'data-id' }, name: '.name a', email: 'td.email' },
  { hostId: { attribute: 'data-id' }, name: 'main.grid .name a' },
  { hostId: { attribute: 'data-id' }, name: { template: '{{.part}} Rev {{.rev}}' } },
  { hostId: { attribute: 'data-id' }, name: ':scope > td.name', email: { selector: 'a', pattern: '^(\\w+)' } },
];

describe('reading many records at once', () => {
  for (const [i, fields] of rules.entries())
    it(`answers as querySelector does (rule ${i + 1})`, () => {
      const rows = document.querySelectorAll('tr.r, div.r');
      expect(rows.length).toBe(4);
      const find = finderFor(rows);
      const one = [...rows].map((r) => readRecord(r, page(fields), { pathname: '/' })?.fields);
      const all = [...rows].map((r) => readRecord(r, page(fields), { pathname: '/' }, find)?.fields);
      expect(all).toEqual(one);
    });

  it('reads the first link of each record, the outer record\'s too when records hold records', () => {
    const rows = document.querySelectorAll('tr.r, div.r');
    const find = finderFor(rows);
    expect([...rows].map((r) => find(r, '.name a')?.textContent ?? null)).toEqual(['Acme', null, 'Outer', 'Inner']);
    expect([...rows].map((r) => find(r, 'span.name a')?.textContent ?? null)).toEqual([null, null, 'Inner', 'Inner']);
  });
});

describe('stateKey', () => {
  it('is the same for the same id and fields in any order, and differs when either does', () => {
    expect(stateKey('7', { hostId: '7', name: 'WXYZ TV', email: 'ads@wxyz.example' })).toBe(stateKey('7', { email: 'ads@wxyz.example', name: 'WXYZ TV', hostId: '7' }));
    const k = stateKey('7', { hostId: '7', name: 'WXYZ TV' });
    expect(k).toBe(stateKey('7', { name: 'WXYZ TV', hostId: '7' }));
    expect(Number.isSafeInteger(k)).toBe(true);
    expect(stateKey('8', { hostId: '7', name: 'WXYZ TV' })).not.toBe(k);
    expect(stateKey('7', { hostId: '7', name: 'WXYZ-TV' })).not.toBe(k);
    expect(stateKey('7', { hostId: '7', name: 'WXYZ TV', email: 'a@b.example' })).not.toBe(k);
    // Whatever a host value holds, it cannot pass for another field and its value.
    expect(stateKey('1', { name: 'a', number: 'b' })).not.toBe(stateKey('1', { name: 'a","number","b' }));
    expect(stateKey('1', { name: 'a', number: 'b' })).not.toBe(stateKey('1', { name: 'a"],["number","b' }));
    // Ten thousand records of one app: no two share a key.
    expect(new Set(Array.from({ length: 10_000 }, (_, i) => stateKey(String(i), { hostId: String(i), name: `Vendor ${i}` }))).size).toBe(10_000);
  });
});
