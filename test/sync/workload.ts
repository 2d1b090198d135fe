// A write workload like the integrations make, shared by the write path's proof and its bench:
// vendors with their bills (pairs of bills alike in party, date and amount among them), customers
// with their invoices and a payment applied to one. Every write comes from a host record, so every
// record carries its origin's marker; verify() counts, for each intended write, the records
// QuickBooks holds for it.
import { db, type HostRef } from '../../lib/db';
import { hostKeyOf, markerKey, markerOf, requestIdOf, type NewWrite } from '../../lib/sync/outbox';

export interface Refs {
  expenseAccount: string;
  item: string;
}

type Rec = Record<string, any>;

/** Groups of writes, each enqueued as one action: [vendor, bill, bill] or [customer, invoice, invoice, payment]. */
export function workload(realmId: string, refs: Refs, opts: { tag: string; groups: number }): NewWrite[][] {
  const origin = { kind: 'workflow' as const, name: 'Proof workload' };
  const host = (kind: string, id: string): HostRef => ({ profileId: 'proof', origin: 'https://proof.example', kind, hostId: `${opts.tag}-${id}` });
  const w = (kind: string, id: string, entity: string, intent: Record<string, unknown>): NewWrite => ({ realmId, operation: 'create', entity, host: host(kind, id), appName: 'Proof', intent, origin });
  const groups: NewWrite[][] = [];
  for (let g = 0; g < opts.groups; g++) {
    // Amounts in cents, dates in one month: many pairs look alike.
    const amount = 100 + ((g * 37) % 900) + ((g * 13) % 100) / 100;
    const date = `2026-11-${String(1 + (g % 28)).padStart(2, '0')}`;
    if (g % 2 === 0) {
      const expense = (a: number) => [{ Amount: a, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: refs.expenseAccount } } }];
      groups.push([
        w('vendor', `v${g}`, 'Vendor', { DisplayName: `Proof Vendor ${opts.tag} ${g}` }),
        w('bill', `b${g}a`, 'Bill', { VendorRef: { $entry: '#0' }, TxnDate: date, Line: expense(amount) }),
        // The same vendor, date and amount: a second real bill, not a copy.
        w('bill', `b${g}b`, 'Bill', { VendorRef: { $entry: '#0' }, TxnDate: date, Line: expense(g % 4 === 0 ? amount : amount + 1) }),
      ]);
    } else {
      const sale = (a: number) => [{ Amount: a, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: refs.item } } }];
      groups.push([
        w('customer', `c${g}`, 'Customer', { DisplayName: `Proof Customer ${opts.tag} ${g}` }),
        w('invoice', `i${g}a`, 'Invoice', { CustomerRef: { $entry: '#0' }, TxnDate: date, Line: sale(amount) }),
        w('invoice', `i${g}b`, 'Invoice', { CustomerRef: { $entry: '#0' }, TxnDate: date, Line: sale(amount) }),
        w('payment', `p${g}`, 'Payment', { CustomerRef: { $entry: '#0' }, TxnDate: date, TotalAmt: amount, Line: [{ Amount: amount, LinkedTxn: [{ TxnId: { $id: '#1' }, TxnType: 'Invoice' }] }] }),
      ]);
    }
  }
  return groups;
}

const NAME: Record<string, string> = { Vendor: 'DisplayName', Customer: 'DisplayName' };
const NOTE: Record<string, string> = { Customer: 'Notes', Bill: 'PrivateNote', Invoice: 'PrivateNote', Payment: 'PrivateNote' };

export interface Verdict {
  writes: number;
  lost: number;
  doubled: number;
  /** Links (of any browser's outbox given) that do not point at the record made for their host record. */
  wrongLinks: number;
  /** Records whose content is not what was intended (amount, party, applied invoice). */
  wrongContent: number;
  problems: string[];
}

/**
 * Counts, for each intended write, the records QuickBooks holds for it (`records(entity)` answers
 * every current record of an entity), and checks the links of each browser given as [hostKey, qbId].
 */
export async function verify(groups: NewWrite[][], records: (entity: string) => Promise<Rec[]>, links: Map<string, string>[]): Promise<Verdict> {
  const all = new Map<string, Rec[]>();
  for (const entity of ['Vendor', 'Customer', 'Bill', 'Invoice', 'Payment']) all.set(entity, await records(entity));
  const verdict: Verdict = { writes: 0, lost: 0, doubled: 0, wrongLinks: 0, wrongContent: 0, problems: [] };
  for (const group of groups) {
    const made: Rec[] = [];
    for (const w of group) {
      verdict.writes++;
      const pool = all.get(w.entity)!;
      const key = markerKey(await markerOf(w, await requestIdOf(w, 'unused')))!;
      const name = NAME[w.entity] ? (w.intent[NAME[w.entity]] as string) : undefined;
      const found = NOTE[w.entity] ? pool.filter((r) => String(r[NOTE[w.entity]] ?? '').includes(key)) : pool.filter((r) => r[NAME[w.entity]] === name);
      made.push(found[0]);
      if (found.length === 0) {
        verdict.lost++;
        verdict.problems.push(`lost: ${w.entity} ${w.host!.hostId}`);
      }
      if (found.length > 1) {
        verdict.doubled += found.length - 1;
        verdict.problems.push(`doubled: ${w.entity} ${w.host!.hostId} x${found.length}`);
      }
      for (const browser of links) {
        const linked = browser.get(hostKeyOf(w.host!));
        if (linked !== undefined && found[0] && linked !== String(found[0].Id)) {
          verdict.wrongLinks++;
          verdict.problems.push(`link: ${w.entity} ${w.host!.hostId} -> ${linked}, made ${found[0].Id}`);
        }
      }
    }
    // What each record says: its party is the group's first record, its amount the intended one.
    const [party, ...txns] = made;
    group.slice(1).forEach((w, i) => {
      const rec = txns[i];
      if (!rec || !party) return;
      const ref = (rec.VendorRef ?? rec.CustomerRef)?.value;
      const amount = (w.intent.Line as Rec[] | undefined)?.[0]?.Amount ?? w.intent.TotalAmt;
      const applied = w.entity !== 'Payment' || String(rec.Line?.[0]?.LinkedTxn?.[0]?.TxnId) === String(txns[0]?.Id);
      if (ref !== String(party.Id) || rec.TotalAmt !== amount || !applied) {
        verdict.wrongContent++;
        verdict.problems.push(`content: ${w.entity} ${w.host!.hostId}`);
      }
    });
  }
  return verdict;
}

/** This context's links from the workload's app, as [hostKey, qbId]. */
export async function linksOf(realmId: string): Promise<Map<string, string>> {
  const rows = await db.links.where('[realmId+qbEntity+qbId]').between([realmId, '', ''], [realmId, '\uffff', '\uffff']).toArray();
  return new Map(rows.filter((l) => l.profileId === 'proof' && l.qbId).map((l) => [hostKeyOf(l), l.qbId!]));
}
