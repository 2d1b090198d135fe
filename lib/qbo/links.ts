// Deep links from a QuickBooks record to its page in the QBO web app. Intuit does not document
// these; they are the paths the QBO web UI itself uses (reference/qbo-api.md section 12), and the
// local sandbox serves stand-ins at the same paths.
import { endpointsFor, type Environment } from './environments';

/** The QBO web app page of each entity, and the query parameter that names the record. */
export const WEB_PAGES: Record<string, { page: string; param: 'nameId' | 'txnId' | 'itemId' | 'accountId' }> = {
  Customer: { page: 'customerdetail', param: 'nameId' },
  Vendor: { page: 'vendordetail', param: 'nameId' },
  Employee: { page: 'employeedetail', param: 'nameId' },
  Invoice: { page: 'invoice', param: 'txnId' },
  Bill: { page: 'bill', param: 'txnId' },
  BillPayment: { page: 'billpayment', param: 'txnId' },
  Payment: { page: 'recvpayment', param: 'txnId' },
  PurchaseOrder: { page: 'purchaseorder', param: 'txnId' },
  Estimate: { page: 'estimate', param: 'txnId' },
  SalesReceipt: { page: 'salesreceipt', param: 'txnId' },
  CreditMemo: { page: 'creditmemo', param: 'txnId' },
  VendorCredit: { page: 'vendorcredit', param: 'txnId' },
  Item: { page: 'item', param: 'itemId' },
  Account: { page: 'register', param: 'accountId' },
};

/**
 * The QBO web app page of a record, or undefined for entities the web app has no page for.
 * The local sandbox serves several companies, so its links name the company; Intuit's web app
 * opens the company the user is signed in to.
 */
export function webLink(
  env: Environment,
  entity: string,
  id: string,
  realmId?: string,
  localOrigin?: string,
): string | undefined {
  const p = WEB_PAGES[entity];
  if (!p) return undefined;
  const url = new URL(`${endpointsFor(env, localOrigin).web}/${p.page}`);
  url.searchParams.set(p.param, id);
  if (env === 'local-sandbox' && realmId) url.searchParams.set('companyId', realmId);
  return url.toString();
}
