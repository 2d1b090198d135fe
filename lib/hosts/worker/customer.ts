// A customer page's QuickBooks summary (balance, open balance, terms, payment method...) and its
// "QuickBooks Transactions" folder, from the local QB cache: never a QuickBooks call per page view.
import { z } from 'zod';
import { recordOf, recordsOf, refName } from '../../db/qbcache';
import { hostRecordsWritten } from './records';
import { db } from '../../db';
import { hostCompany, NOT_CONNECTED, stateOf, type HostApp, type RecordStatus } from '../../links';
import { webLink } from '../../qbo/links';
import { CUSTOMER_TRANSACTIONS } from '../../qbo/schemas';
import type { RecordKind } from '../profile';

export const CustomerSummary = z.object({
  name: z.string(),
  url: z.string().optional(),
  balance: z.number(),
  openBalance: z.number(),
  overdue: z.number(),
  terms: z.string().optional(),
  paymentMethod: z.string().optional(),
  deliveryMethod: z.string().optional(),
  email: z.string().optional(),
  /** The latest fields the two-way customer sync carried (which, to which side, when), newest first. */
  history: z.array(z.object({ at: z.number(), field: z.string().max(60), to: z.string().max(60) })).max(3).optional(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const TransactionRow = z.object({
  type: z.string(),
  id: z.string(),
  date: z.string(),
  number: z.string(),
  amount: z.number(),
  balance: z.number().optional(),
  status: z.string(),
  url: z.string().optional(),
});
export type TransactionRow = z.infer<typeof TransactionRow>;

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function txnStatus(entity: string, d: Record<string, any>, today: string): string {
  if (d.PrivateNote === 'Voided' && d.TotalAmt === 0) return 'Voided';
  switch (entity) {
    case 'Invoice':
      if (num(d.Balance) === 0) return 'Paid';
      if (d.DueDate && d.DueDate < today) return 'Overdue';
      return num(d.Balance) < num(d.TotalAmt) ? 'Partially paid' : 'Open';
    case 'Payment':
      return num(d.UnappliedAmt) > 0 ? 'Partly unapplied' : 'Applied';
    case 'CreditMemo':
      return num(d.Balance) === 0 ? 'Applied' : 'Open';
    case 'SalesReceipt':
      return 'Paid';
    default:
      return d.TxnStatus ?? '';
  }
}

const TYPE_LABEL: Record<string, string> = { Invoice: 'Invoice', Payment: 'Payment', Estimate: 'Estimate', SalesReceipt: 'Sales receipt', CreditMemo: 'Credit memo' };

/** A linked customer's summary and its transactions, from the local QB cache. */
export async function customerDetail(app: HostApp, kind: RecordKind, hostId: string): Promise<{ status: RecordStatus; summary?: CustomerSummary; transactions?: TransactionRow[] }> {
  const ctx = await hostCompany(app);
  if (!ctx) return { status: { hostId, state: 'error', reason: NOT_CONNECTED } };
  // The page sent this record just before (hosts.records): its copy is written first.
  await hostRecordsWritten();
  const status = await stateOf(ctx, app, kind, hostId);
  // A suggested customer's summary is shown too (read only): the person sees whom it looks like.
  if ((status.state !== 'linked' && status.state !== 'suggested') || kind !== 'customer') return { status };
  const customer = (await recordOf(ctx.realmId, 'Customer', status.qbId!)) as Record<string, any> | undefined;
  if (!customer) return { status };
  const today = new Date().toISOString().slice(0, 10);
  const txns: { entity: string; id: string; data: Record<string, any> }[] = [];
  for (const entity of CUSTOMER_TRANSACTIONS)
    for (const [id, d] of (await recordsOf(ctx.realmId, entity)) as Map<string, Record<string, any>>)
      if (d.CustomerRef?.value === status.qbId) txns.push({ entity, id, data: d });
  const transactions: TransactionRow[] = txns
    .map((r) => {
      const d = r.data;
      return {
        type: TYPE_LABEL[r.entity],
        id: r.id,
        date: String(d.TxnDate ?? ''),
        number: String(d.DocNumber ?? d.PaymentRefNum ?? ''),
        amount: num(d.TotalAmt),
        balance: r.entity === 'Invoice' || r.entity === 'CreditMemo' ? num(d.Balance) : undefined,
        status: txnStatus(r.entity, d, today),
        url: webLink(ctx.environment, r.entity, r.id, ctx.realmId, ctx.localOrigin),
      };
    })
    .sort((a, b) => b.date.localeCompare(a.date) || Number(b.id) - Number(a.id));
  const overdue = txns
    .filter((r) => r.entity === 'Invoice')
    .reduce((sum, r) => {
      const d = r.data;
      return d.DueDate && d.DueDate < today ? sum + num(d.Balance) : sum;
    }, 0);
  return {
    status,
    summary: {
      name: customer.DisplayName ?? '',
      url: status.url,
      balance: num(customer.BalanceWithJobs ?? customer.Balance),
      openBalance: num(customer.Balance),
      overdue: Math.round(overdue * 100) / 100,
      terms: await refName(ctx.realmId, 'Term', customer.SalesTermRef),
      paymentMethod: await refName(ctx.realmId, 'PaymentMethod', customer.PaymentMethodRef),
      deliveryMethod: customer.PreferredDeliveryMethod,
      email: customer.PrimaryEmailAddr?.Address,
      // The two-way customer sync's memory of this contact (lib/workflows/customers.ts).
      history: [...((await db.fieldSync.get([ctx.realmId, app.profileId, app.origin, hostId]))?.history ?? [])].reverse().slice(0, 3).map((h) => ({ at: h.at, field: h.field, to: h.to })),
    },
    transactions,
  };
}
