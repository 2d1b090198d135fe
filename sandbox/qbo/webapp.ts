// Stand-ins for the QBO web app's record pages (/app/customerdetail?nameId=, /app/invoice?txnId=,
// ...), so "open in QuickBooks" can be followed end to end. The company is the one named by
// ?companyId=, else the one last chosen on the consent page, else the first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { money } from '../../components/format';
import { WEB_PAGES } from '../../lib/qbo/links';
import type { Company, Rec } from './company';
import { entities } from './entities';
import { escapeHtml as e, page } from './html';
import { html } from './oauth';

const byPage = new Map(Object.entries(WEB_PAGES).map(([entity, p]) => [p.page, { entity, param: p.param }]));
const LABELS: Record<string, string> = {
  Payment: 'Payment received',
  BillPayment: 'Bill payment',
  PurchaseOrder: 'Purchase order',
  CreditMemo: 'Credit memo',
  SalesReceipt: 'Sales receipt',
  VendorCredit: 'Vendor credit',
};
const label = (entity: string) => LABELS[entity] ?? entity;

function linkTo(entity: string, id: string, realmId: string, text: string) {
  const p = WEB_PAGES[entity];
  if (!p) return e(text);
  return `<a href="/app/${p.page}?${p.param}=${encodeURIComponent(id)}&amp;companyId=${encodeURIComponent(realmId)}">${e(text)}</a>`;
}

function pickCompany(req: IncomingMessage, url: URL, companies: Company[]): Company | undefined {
  const wanted = url.searchParams.get('companyId') ?? /(?:^|;\s*)qbo_realm=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  return companies.find((c) => c.realmId === wanted) ?? companies[0];
}

function detailList(pairs: [string, string][]) {
  return `<dl>${pairs.filter(([, v]) => v !== '').map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function namePage(company: Company, entity: string, rec: Rec) {
  const txns = company
    .txnsOf(entity, rec.Id)
    .sort((a, b) => String(b.rec.TxnDate).localeCompare(String(a.rec.TxnDate)))
    .slice(0, 200);
  const rows = txns
    .map(({ entity: type, rec: t }) => {
      return `<tr><td>${e(t.TxnDate)}</td><td>${e(label(type))}</td><td>${linkTo(type, t.Id, company.realmId, t.DocNumber ?? `#${t.Id}`)}</td>
        <td class="num">${money(t.TotalAmt)}</td><td class="num">${money(t.Balance)}</td></tr>`;
    })
    .join('');
  return `<main>
    <div class="card"><h1>${e(rec.DisplayName)}</h1><p class="muted">${e(entity)}${rec.Active === false ? ' · inactive' : ''}</p>
    ${detailList([
      ['Company', e(rec.CompanyName ?? '')],
      ['Email', e(rec.PrimaryEmailAddr?.Address ?? '')],
      ['Phone', e(rec.PrimaryPhone?.FreeFormNumber ?? '')],
      ['Open balance', money(rec.Balance)],
      // QBO sends these references without names: the page looks the names up.
      ['Terms', e(company.get('Term', rec.SalesTermRef?.value ?? rec.TermRef?.value ?? '')?.Name ?? '')],
      ['Payment method', e(company.get('PaymentMethod', rec.PaymentMethodRef?.value ?? '')?.Name ?? '')],
      ['Delivery method', e(rec.PreferredDeliveryMethod ?? '')],
      ['Billing address', e([rec.BillAddr?.Line1, rec.BillAddr?.City, rec.BillAddr?.CountrySubDivisionCode, rec.BillAddr?.PostalCode].filter(Boolean).join(', '))],
    ])}</div>
    <div class="card"><h2>Transactions</h2>${
      rows
        ? `<table><thead><tr><th>Date</th><th>Type</th><th>No.</th><th class="num">Total</th><th class="num">Balance</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p class="muted">No transactions.</p>'
    }</div></main>`;
}

function txnPage(company: Company, entity: string, rec: Rec) {
  const party = rec.CustomerRef ? ['Customer', rec.CustomerRef] : rec.VendorRef ? ['Vendor', rec.VendorRef] : undefined;
  const lines = (rec.Line ?? [])
    .filter((l: Rec) => l.DetailType !== 'SubTotalLineDetail')
    .map((l: Rec) => {
      const d = l[l.DetailType] ?? {};
      const what = d.ItemRef?.name ?? d.AccountRef?.name ?? (l.LinkedTxn?.[0] ? `${l.LinkedTxn[0].TxnType} ${l.LinkedTxn[0].TxnId}` : '');
      return `<tr><td>${e(what)}</td><td>${e(l.Description ?? '')}</td><td class="num">${e(d.Qty ?? '')}</td>
        <td class="num">${d.UnitPrice !== undefined ? money(d.UnitPrice) : ''}</td><td class="num">${money(l.Amount)}</td></tr>`;
    })
    .join('');
  return `<main><div class="card"><h1>${e(label(entity))} ${e(rec.DocNumber ?? `#${rec.Id}`)}</h1>
    ${detailList([
      [party ? party[0] : 'Name', party ? linkTo(party[0], party[1].value, company.realmId, party[1].name ?? party[1].value) : ''],
      ['Date', e(rec.TxnDate ?? '')],
      ['Due date', e(rec.DueDate ?? '')],
      ['Status', e(rec.PrivateNote === 'Voided' ? 'Voided' : rec.POStatus ?? rec.TxnStatus ?? (rec.Balance === 0 ? 'Paid' : rec.Balance !== undefined ? 'Open' : ''))],
      ['Total', money(rec.TotalAmt)],
      ['Balance', money(rec.Balance)],
      ['Linked', (rec.LinkedTxn ?? []).map((l: Rec) => linkTo(l.TxnType === 'BillPaymentCheck' || l.TxnType === 'BillPaymentCreditCard' ? 'BillPayment' : l.TxnType, l.TxnId, company.realmId, `${l.TxnType} ${l.TxnId}`)).join(', ')],
      ['Memo', e(rec.PrivateNote ?? rec.Memo ?? '')],
    ])}</div>
    <div class="card"><table><thead><tr><th>Product/service or account</th><th>Description</th><th class="num">Qty</th><th class="num">Rate</th><th class="num">Amount</th></tr></thead>
    <tbody>${lines || '<tr><td colspan="5" class="muted">No lines</td></tr>'}</tbody></table></div></main>`;
}

function listPage(entity: string, rec: Rec) {
  return `<main><div class="card"><h1>${e(rec.FullyQualifiedName ?? rec.Name)}</h1><p class="muted">${e(entity)}${rec.Active === false ? ' · inactive' : ''}</p>
    ${detailList(
      Object.entries(rec)
        .filter(([k, v]) => typeof v !== 'object' && !['domain', 'sparse', 'SyncToken'].includes(k))
        .map(([k, v]) => [k, e(v)] as [string, string]),
    )}</div></main>`;
}

/** Serves /app/* pages; returns false for other paths. */
export function handleWebApp(req: IncomingMessage, res: ServerResponse, url: URL, companies: Company[]): boolean {
  if (!url.pathname.startsWith('/app/') && url.pathname !== '/app') return false;
  const company = pickCompany(req, url, companies);
  const pageName = url.pathname.slice('/app/'.length);
  if (!company) return (html(res, 404, page('QuickBooks', '<main><div class="card"><h1>No company</h1></div></main>')), true);
  const target = byPage.get(pageName);
  if (!target) {
    const list = companies
      .map((c) => `<li>${e(c.companyName)} <small>Company ID ${e(c.realmId)}</small></li>`)
      .join('');
    html(res, 200, page('QuickBooks', `<main><div class="card"><h1>Dashboard</h1><p>Companies in this sandbox:</p><ul>${list}</ul></div></main>`, company.companyName));
    return true;
  }
  const id = url.searchParams.get(target.param) ?? '';
  const rec = company.get(target.entity, id);
  if (!rec) {
    html(res, 404, page(`${label(target.entity)} not found`, `<main><div class="card"><h1>${e(label(target.entity))} not found</h1>
      <p>There is no ${e(label(target.entity).toLowerCase())} with id ${e(id)} in ${e(company.companyName)}. It may have been deleted.</p></div></main>`, company.companyName));
    return true;
  }
  const kind = entities.get(target.entity)!.kind;
  const body = kind === 'name' ? namePage(company, target.entity, rec) : kind === 'txn' ? txnPage(company, target.entity, rec) : listPage(target.entity, rec);
  html(res, 200, page(`${rec.DisplayName ?? rec.Name ?? `${label(target.entity)} ${rec.DocNumber ?? rec.Id}`} - QuickBooks`, body, company.companyName));
  return true;
}
