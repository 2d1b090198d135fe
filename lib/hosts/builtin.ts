// The site profiles that ship with the extension: the five demo host apps of the sandbox
// (docs/demo-hosts.md). A real host app gets a profile like these, written by its users or by us.
import type { SiteProfile } from './profile';

const ID_FROM = (re: string) => ({ fromUrl: re });

export const BUILTIN_PROFILES: SiteProfile[] = [
  {
    id: 'spotlight',
    name: 'Spotlight (media buying)',
    matches: ['http://media.localhost/*'],
    pages: [
      {
        id: 'vendors', path: '^/vendors/?$', kind: 'vendor', layout: 'list', record: 'table.vendor-grid tbody tr.vendor-row',
        fields: { hostId: { attribute: 'data-row-key' }, name: 'td.vendor-name a.vendor-link', email: 'td.vendor-email a', status: 'td.vendor-status .status-pill' },
        anchors: { badge: { selector: 'td.vendor-name', position: 'append' } },
      },
      {
        id: 'vendor', path: '^/vendors/\\d+$', kind: 'vendor', layout: 'detail', record: '.vendor-head',
        fields: { hostId: ID_FROM('^/vendors/(\\d+)'), name: 'h1.vendor-title', email: 'dd.fact-email a', phone: 'dd.fact-phone' },
        anchors: { badge: { selector: '.vendor-head .record-title-row', position: 'append' } },
      },
      {
        id: 'bills', path: '^/bills/?$', kind: 'bill', layout: 'list', record: 'table.bill-grid tbody tr.bill-row',
        fields: { hostId: { attribute: 'data-row-key' }, number: 'td.bill-number a.bill-link', party: 'td.bill-vendor a.vendor-link', date: 'td.bill-date', dueDate: 'td.bill-due', amount: 'td.bill-amount', status: 'td.bill-status .status-pill' },
        anchors: { badge: { selector: 'td.bill-number', position: 'append' } },
      },
    ],
    api: {
      kinds: {
        vendor: { list: { url: '/api/vendors', items: 'data' }, fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone' } },
        bill: { list: { url: '/api/bills', items: 'data' }, fields: { hostId: 'id', number: 'billNumber', party: 'vendorName', amount: 'amount', date: 'billDate' } },
      },
    },
  },
  {
    id: 'forge-erp',
    name: 'Forge ERP (purchasing)',
    matches: ['http://erp.localhost/*'],
    pages: [
      {
        id: 'purchase-orders', path: '^/purchase-orders/?$', kind: 'purchaseOrder', layout: 'list', record: 'table.po-table tbody tr.po-row',
        fields: { hostId: 'td.col-id a.po-link', number: 'td.col-id a.po-link', party: 'td.col-supplier', status: 'td.col-status .chip', amount: 'td.col-total' },
        anchors: { badge: { selector: 'td.col-id', position: 'append' } },
      },
      {
        id: 'purchase-order', path: '^/purchase-orders/\\d+$', kind: 'purchaseOrder', layout: 'detail', record: '.po-header',
        fields: { hostId: ID_FROM('^/purchase-orders/(\\d+)'), number: ID_FROM('^/purchase-orders/(\\d+)'), party: 'dd.po-supplier', status: 'dd.po-status' },
        anchors: { badge: { selector: 'h1.view-title', position: 'append' } },
      },
      {
        id: 'parts', path: '^/parts/?$', kind: 'item', layout: 'list', record: 'table.parts-table tbody tr.part-row',
        fields: { hostId: { template: '{{td.col-part-number}}-{{td.col-revision}}' }, name: { template: '{{td.col-part-number}} Rev {{td.col-revision}}' } },
        anchors: { badge: { selector: 'td.col-part-number', position: 'append' } },
      },
      {
        id: 'suppliers', path: '^/suppliers/?$', kind: 'vendor', layout: 'list', record: 'table.suppliers-table tbody tr.supplier-row',
        fields: { hostId: { attribute: 'id', pattern: '^supplier-(.+)$' }, name: 'td.col-name', email: 'td.col-email', phone: 'td.col-phone' },
        anchors: { badge: { selector: 'td.col-name', position: 'append' } },
      },
    ],
    api: {
      kinds: {
        vendor: { list: { url: '/api/suppliers', items: 'items' }, fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone' } },
        purchaseOrder: { list: { url: '/api/purchase-orders', items: 'items' }, fields: { hostId: 'id', number: 'id', party: 'supplierName', amount: 'total', status: 'status' } },
      },
    },
  },
  {
    id: 'rolodeck-crm',
    name: 'Rolodeck CRM',
    matches: ['http://crm.localhost/*'],
    pages: [
      {
        id: 'contacts', path: '^/contacts/?$', kind: 'customer', layout: 'list', record: 'table.cd-contacts-table tbody tr.cd-contact-row',
        fields: { hostId: { selector: 'a.cd-contact-link', attribute: 'href', pattern: '/contacts/(\\d+)' }, name: 'td.cd-col-company', company: 'td.cd-col-company', email: 'td.cd-col-email a', phone: 'td.cd-col-phone' },
        anchors: { badge: { selector: 'td.cd-col-name .cd-name-cell', position: 'append' } },
      },
      {
        id: 'contact', path: '^/contacts/\\d+$', kind: 'customer', layout: 'detail', record: '.cd-dashboard',
        fields: { hostId: ID_FROM('^/contacts/(\\d+)'), name: 'dd.cd-field-company', company: 'dd.cd-field-company', email: 'dd.cd-field-email a', phone: 'dd.cd-field-phone' },
        anchors: {
          badge: { selector: '.cd-name-row', position: 'append' },
          summary: { selector: 'aside.cd-sidebar', position: 'prepend' },
          transactions: { selector: 'ul.cd-folder-list', position: 'prepend' },
        },
      },
    ],
    api: {
      kinds: {
        customer: { list: { url: '/api/contacts' }, fields: { hostId: 'id', name: 'company', email: 'email', phone: 'phone' } },
      },
    },
  },
  {
    id: 'ledgerly',
    name: 'Ledgerly (accounting portal)',
    matches: ['http://portal.localhost/*'],
    pages: [
      {
        id: 'customers', path: '^/quickbooks/customers/?$', kind: 'customer', layout: 'list', record: 'table.customers-table tbody tr.customer-row',
        fields: { hostId: { selector: 'td.col-client .party-id', pattern: 'ID: (\\d+)' }, name: 'td.col-client .party-name', email: 'td.col-email .email' },
        anchors: { badge: { selector: 'td.col-client .client-cell', position: 'append' } },
      },
      {
        id: 'vendors', path: '^/quickbooks/vendors/?$', kind: 'vendor', layout: 'list', record: 'table.vendors-table tbody tr.vendor-row',
        fields: { hostId: { selector: 'td.col-vendor .party-id', pattern: 'ID: (\\d+)' }, name: 'td.col-vendor .party-name', email: 'td.col-email .email' },
        anchors: { badge: { selector: 'td.col-vendor', position: 'append' } },
      },
      {
        id: 'invoices', path: '^/quickbooks/invoices/?$', kind: 'invoice', layout: 'list', record: 'table.invoices-table tbody tr.invoice-row',
        fields: { hostId: 'td.col-id', number: 'td.col-number a.invoice-link', party: 'td.col-client .party-name', date: 'td.col-date', amount: 'td.col-amount', status: 'td.col-status .b360-badge' },
        anchors: { badge: { selector: 'td.col-number', position: 'append' } },
      },
    ],
    api: {
      kinds: {
        customer: { list: { url: '/api/customers', items: 'data' }, fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone' } },
        vendor: { list: { url: '/api/vendors', items: 'data' }, fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone' } },
        invoice: { list: { url: '/api/invoices', items: 'data' }, fields: { hostId: 'id', number: 'number', party: 'client.name', amount: 'amount' } },
      },
    },
  },
  {
    id: 'paystream',
    name: 'Paystream (AP/AR payments)',
    matches: ['http://payments.localhost/*'],
    pages: [
      {
        id: 'bills', path: '^/bills/?$', kind: 'bill', layout: 'list', record: 'table.bills-table tbody tr.bill-row',
        fields: { hostId: { attribute: 'id' }, number: 'td.ps-number a', party: 'td.ps-vendor .ps-party-name', date: 'td.ps-date', dueDate: 'td.ps-due', amount: 'td.ps-amount', balance: 'td.ps-amount-due', status: 'td.ps-state .ps-status' },
        anchors: { badge: { selector: 'td.ps-number', position: 'append' } },
      },
      {
        id: 'invoices', path: '^/invoices/?$', kind: 'invoice', layout: 'list', record: 'table.invoices-table tbody tr.invoice-row',
        fields: { hostId: { attribute: 'id' }, number: 'td.ps-number a', party: 'td.ps-customer .ps-party-name', date: 'td.ps-date', dueDate: 'td.ps-due', amount: 'td.ps-amount', balance: 'td.ps-amount-due', status: 'td.ps-state .ps-status' },
        anchors: { badge: { selector: 'td.ps-number', position: 'append' } },
      },
      {
        id: 'credit-memos', path: '^/credit-memos/?$', kind: 'creditMemo', layout: 'list', record: 'table.credit-memos-table tbody tr.credit-memo-row',
        fields: { hostId: { attribute: 'id' }, number: 'td.ps-number', party: 'td.ps-customer .ps-party-name', date: 'td.ps-date', amount: 'td.ps-amount', status: 'td.ps-state .ps-status' },
        anchors: { badge: { selector: 'td.ps-number', position: 'append' } },
      },
      {
        id: 'payments', path: '^/payments/?$', kind: 'payment', layout: 'list', record: 'table.payments-table tbody tr.payment-row',
        fields: { hostId: { attribute: 'id' }, number: 'td.ps-reference', party: 'td.ps-party .ps-party-name', date: 'td.ps-date', amount: 'td.ps-amount', status: 'td.ps-state .ps-status' },
        anchors: { badge: { selector: 'td.ps-reference', position: 'append' } },
      },
    ],
    api: {
      kinds: {
        bill: { list: { url: '/api/bills', items: 'response_data' }, fields: { hostId: 'id', number: 'invoiceNumber', party: 'vendor.name', amount: 'amount' } },
        invoice: { list: { url: '/api/invoices', items: 'response_data' }, fields: { hostId: 'id', number: 'invoiceNumber', party: 'customer.name', amount: 'amount' } },
      },
    },
  },
];
