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
    // Rails-style: pages of ?page=&per_page= with meta.total, records in {data}, writes as {"bill": …} with the
    // meta tag's token; writes from another origin are refused (so they go through an open tab).
    api: {
      csrf: { from: 'meta', name: 'csrf-token', header: 'X-CSRF-Token', page: '/' },
      kinds: {
        vendor: {
          list: { url: '/api/vendors', items: 'data', total: 'meta.total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/vendors/{id}', item: 'data' },
          fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone', status: 'status', code: 'code', mediaType: 'mediaType', terms: 'terms', updatedAt: 'updatedAt' },
        },
        order: {
          list: { url: '/api/orders', items: 'data', total: 'meta.total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/orders/{id}', item: 'data' },
          fields: {
            hostId: 'id', number: 'orderNumber', vendorId: 'vendorId', party: 'vendorName', client: 'client', campaign: 'campaign', mediaType: 'mediaType',
            servicePeriodStart: 'flightStart', servicePeriodEnd: 'flightEnd', amount: 'netCost', status: 'status', updatedAt: 'updatedAt',
          },
        },
        bill: {
          list: { url: '/api/bills', items: 'data', total: 'meta.total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/bills/{id}', item: 'data' },
          create: { method: 'POST', url: '/api/bills', wrap: 'bill', item: 'data' },
          update: { method: 'PATCH', url: '/api/bills/{id}', wrap: 'bill', item: 'data' },
          fields: {
            hostId: 'id', number: 'billNumber', vendorId: 'vendorId', party: 'vendorName', orderNumber: 'orderNumber', date: 'billDate', dueDate: 'dueDate',
            amount: 'amount', balance: 'balance', status: 'status', memo: 'memo', quickbooksId: 'quickbooksId', updatedAt: 'updatedAt',
          },
          lines: { path: 'lines', fields: { description: 'description', orderNumber: 'orderNumber', servicePeriodStart: 'servicePeriodStart', servicePeriodEnd: 'servicePeriodEnd', mediaType: 'mediaType', amount: 'amount' } },
        },
        billPayment: {
          list: { url: '/api/payments', items: 'data', total: 'meta.total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/payments/{id}', item: 'data' },
          create: { method: 'POST', url: '/api/payments', wrap: 'payment', item: 'data' },
          update: { method: 'PATCH', url: '/api/payments/{id}', wrap: 'payment', item: 'data' },
          fields: {
            hostId: 'id', number: 'paymentNumber', vendorId: 'vendorId', party: 'vendorName', date: 'paymentDate', method: 'method', refNumber: 'refNumber',
            amount: 'amount', quickbooksId: 'quickbooksId', updatedAt: 'updatedAt',
          },
          lines: { path: 'appliedTo', fields: { billId: 'billId', number: 'billNumber', amount: 'amount' } },
        },
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
        // The status chip in the header (the facts below it are outside the record).
        fields: { hostId: ID_FROM('^/purchase-orders/(\\d+)'), number: ID_FROM('^/purchase-orders/(\\d+)'), party: 'dd.po-supplier', status: 'h1.view-title .chip' },
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
    // Offsets (?offset=&limit=) with a total, records bare; the token from GET /api/session. A purchase
    // order changes only its status (POST …/status {"status": …}); the app takes requests from any origin.
    api: {
      csrf: { from: 'endpoint', url: '/api/session', path: 'csrfToken', header: 'X-CSRF-Token' },
      kinds: {
        vendor: {
          list: { url: '/api/suppliers', items: 'items', total: 'total', paging: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/suppliers/{id}' },
          fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone', currency: 'currency', terms: 'paymentTerms', updatedAt: 'updatedAt' },
        },
        item: {
          list: { url: '/api/parts', items: 'items', total: 'total', paging: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/parts/{id}' },
          fields: { hostId: 'id', partNumber: 'partNumber', revision: 'revision', description: 'description', unitCost: 'unitCost', vendorId: 'preferredSupplierId', updatedAt: 'updatedAt' },
        },
        purchaseOrder: {
          list: { url: '/api/purchase-orders', items: 'items', total: 'total', paging: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/purchase-orders/{id}' },
          update: { method: 'POST', url: '/api/purchase-orders/{id}/status' },
          fields: {
            hostId: 'id', number: 'id', vendorId: 'supplierId', party: 'supplierName', status: 'status', currency: 'currency', dueDate: 'needDate', orderedAt: 'orderedAt',
            subtotal: 'subtotal', feesTotal: 'feesTotal', amount: 'total', shipToName: 'shippingAddress.name', shipToStreet: 'shippingAddress.street1', shipToCity: 'shippingAddress.city',
            shipToState: 'shippingAddress.state', shipToPostalCode: 'shippingAddress.postalCode', shipToCountry: 'shippingAddress.country', updatedAt: 'updatedAt',
            feeList: 'fees@json', notes: 'notes',
          },
          lines: {
            path: 'lines',
            fields: {
              lineNumber: 'lineNumber', partNumber: 'partNumber', revision: 'revision', description: 'description', quantity: 'quantity', unitCost: 'unitCost',
              amount: 'totalCost', attributes: 'attributes@json',
            },
          },
        },
        attribute: {
          list: { url: '/api/attributes', items: 'items', total: 'total', paging: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 200 }, updatedSince: 'updatedSince' },
          fields: { hostId: 'key', name: 'name', type: 'type', updatedAt: 'updatedAt' },
        },
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
    // A cursor (?after=<paging.next.after>&limit=), no total; the meta tag's token in X-CSRFToken, renewed
    // every 20 writes; any origin with the session and token may write.
    api: {
      csrf: { from: 'meta', name: 'csrf-token', header: 'X-CSRFToken', page: '/' },
      kinds: {
        customer: {
          list: { url: '/api/contacts', items: 'results', paging: { type: 'cursor', param: 'after', next: 'paging.next.after', sizeParam: 'limit', size: 250 }, updatedSince: 'modified_since' },
          read: { url: '/api/contacts/{id}' },
          create: { method: 'POST', url: '/api/contacts' },
          update: { method: 'PATCH', url: '/api/contacts/{id}' },
          fields: {
            hostId: 'id', name: 'company', company: 'company', firstName: 'firstName', lastName: 'lastName', email: 'email', phone: 'phone', mobile: 'mobile', stage: 'stage',
            owner: 'owner', street: 'address.street', city: 'address.city', state: 'address.state', zip: 'address.zip', country: 'address.country', notes: 'notes',
            terms: 'paymentTerms', paymentMethod: 'paymentMethod', deliveryMethod: 'deliveryMethod', balance: 'balance', openBalance: 'openBalance',
            quickbooksId: 'quickbooksCustomerId', updatedAt: 'updatedAt',
          },
          // Rolodeck's "QuickBooks customer" on a contact.
          writeBack: { qbId: 'quickbooksId' },
        },
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
        anchors: { badge: { selector: 'td.col-client .client-cell', position: 'append' }, sync: { selector: 'td.col-actions .actions-cell', position: 'prepend' } },
      },
      {
        id: 'vendors', path: '^/quickbooks/vendors/?$', kind: 'vendor', layout: 'list', record: 'table.vendors-table tbody tr.vendor-row',
        fields: { hostId: { selector: 'td.col-vendor .party-id', pattern: 'ID: (\\d+)' }, name: 'td.col-vendor .party-name', email: 'td.col-email .email' },
        anchors: { badge: { selector: 'td.col-vendor', position: 'append' }, sync: { selector: 'td.col-actions .actions-cell', position: 'prepend' } },
      },
      {
        id: 'invoices', path: '^/quickbooks/invoices/?$', kind: 'invoice', layout: 'list', record: 'table.invoices-table tbody tr.invoice-row',
        fields: { hostId: 'td.col-id', number: 'td.col-number a.invoice-link', party: 'td.col-client .party-name', date: 'td.col-date', amount: 'td.col-amount', status: 'td.col-status .b360-badge' },
        anchors: { badge: { selector: 'td.col-number', position: 'append' } },
      },
    ],
    // Laravel's paginator (?page=&per_page=, total), records in {data}, updates by PUT; the token in the
    // XSRF-TOKEN cookie goes back in X-XSRF-TOKEN. Signed out, every request goes to /login (a 302).
    api: {
      csrf: { from: 'cookie', name: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' },
      kinds: {
        customer: {
          list: { url: '/api/customers', items: 'data', total: 'total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/customers/{id}', item: 'data' },
          create: { method: 'POST', url: '/api/customers', item: 'data' },
          update: { method: 'PUT', url: '/api/customers/{id}', item: 'data' },
          fields: {
            hostId: 'id', name: 'name', email: 'email', phone: 'phone', country: 'country', status: 'status', quickbooksId: 'quickbooks_customer_id', syncedAt: 'synced_at',
            updatedAt: 'updated_at',
          },
          // Ledgerly's "QuickBooks CustomerID" column.
          writeBack: { qbId: 'quickbooksId' },
        },
        vendor: {
          list: { url: '/api/vendors', items: 'data', total: 'total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/vendors/{id}', item: 'data' },
          create: { method: 'POST', url: '/api/vendors', item: 'data' },
          update: { method: 'PUT', url: '/api/vendors/{id}', item: 'data' },
          fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone', status: 'status', quickbooksId: 'quickbooks_vendor_id', syncedAt: 'synced_at', updatedAt: 'updated_at' },
          writeBack: { qbId: 'quickbooksId' },
        },
        invoice: {
          list: { url: '/api/invoices', items: 'data', total: 'total', paging: { type: 'page', param: 'page', first: 1, sizeParam: 'per_page', size: 100 }, updatedSince: 'updated_since' },
          read: { url: '/api/invoices/{id}', item: 'data' },
          create: { method: 'POST', url: '/api/invoices', item: 'data' },
          update: { method: 'PUT', url: '/api/invoices/{id}', item: 'data' },
          fields: {
            hostId: 'id', number: 'number', customerId: 'client.id', party: 'client.name', email: 'client.email', date: 'created_at', periodStart: 'date_from',
            periodEnd: 'date_to', dueDate: 'due_date', currency: 'currency', amount: 'amount', paid: 'paid', balance: 'due', status: 'status',
            campaignId: 'custom_fields.CampaignId', poNumber: 'custom_fields.PONumber', customFields: 'custom_fields@json', payments: 'payments@json',
            quickbooksId: 'quickbooks_invoice_id', syncedAt: 'synced_at', updatedAt: 'updated_at', deletedAt: 'deleted_at',
          },
          lines: { path: 'transactions', fields: { date: 'date', description: 'description', amount: 'amount' } },
          // Deleted invoices stay in Ledgerly's listing of changes, with deleted_at set.
          deleted: 'deletedAt',
        },
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
    // Bill.com-style: ?start=&max= with no total (a short page ends the list), the envelope's response_data,
    // writes as {"obj": …} by POST; the meta tag's token; requests from any origin (the worker's too).
    api: {
      csrf: { from: 'meta', name: 'ps-request-token', header: 'X-PS-Request-Token', page: '/' },
      kinds: {
        vendor: {
          list: { url: '/api/vendors', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/vendors/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/vendors', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/vendors/{id}', wrap: 'obj', item: 'response_data' },
          fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone', quickbooksId: 'externalId', updatedAt: 'updatedTime' },
        },
        customer: {
          list: { url: '/api/customers', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/customers/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/customers', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/customers/{id}', wrap: 'obj', item: 'response_data' },
          fields: { hostId: 'id', name: 'name', email: 'email', phone: 'phone', quickbooksId: 'externalId', updatedAt: 'updatedTime' },
        },
        bill: {
          list: { url: '/api/bills', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/bills/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/bills', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/bills/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'invoiceNumber', vendorId: 'vendor.id', party: 'vendor.name', email: 'vendor.email', date: 'invoiceDate', dueDate: 'dueDate',
            amount: 'amount', balance: 'amountDue', status: 'paymentStatus', approval: 'approvalStatus', memo: 'description', quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          lines: { path: 'lines', fields: { description: 'description', account: 'account', class: 'class', amount: 'amount' } },
        },
        invoice: {
          list: { url: '/api/invoices', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/invoices/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/invoices', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/invoices/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'invoiceNumber', customerId: 'customer.id', party: 'customer.name', email: 'customer.email', date: 'invoiceDate', dueDate: 'dueDate',
            poNumber: 'poNumber', amount: 'amount', balance: 'amountDue', status: 'paymentStatus', quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          lines: { path: 'lines', fields: { item: 'item', description: 'description', quantity: 'quantity', price: 'price', amount: 'amount', class: 'class' } },
          writeBack: { qbId: 'quickbooksId' },
        },
        billPayment: {
          list: { url: '/api/sent-payments', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/payments/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/sent-payments', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/payments/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'reference', refNumber: 'reference', vendorId: 'party.id', party: 'party.name', date: 'paymentDate', amount: 'amount', method: 'method', status: 'status',
            quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          lines: { path: 'appliedTo', fields: { billId: 'id', number: 'number', amount: 'amount' } },
        },
        payment: {
          list: { url: '/api/received-payments', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/payments/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/received-payments', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/payments/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'reference', customerId: 'party.id', party: 'party.name', date: 'paymentDate', amount: 'amount', method: 'method', status: 'status',
            quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          lines: { path: 'appliedTo', fields: { invoiceId: 'id', number: 'number', amount: 'amount' } },
          writeBack: { qbId: 'quickbooksId' },
        },
        vendorCredit: {
          list: { url: '/api/vendor-credits', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/vendor-credits/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/vendor-credits', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/vendor-credits/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'creditNumber', vendorId: 'vendor.id', party: 'vendor.name', date: 'creditDate', amount: 'amount', applied: 'appliedAmount',
            status: 'status', memo: 'description', quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          writeBack: { qbId: 'quickbooksId' },
        },
        creditMemo: {
          list: { url: '/api/credit-memos', items: 'response_data', paging: { type: 'offset', param: 'start', sizeParam: 'max', size: 200 }, updatedSince: 'updatedSince' },
          read: { url: '/api/credit-memos/{id}', item: 'response_data' },
          create: { method: 'POST', url: '/api/credit-memos', wrap: 'obj', item: 'response_data' },
          update: { method: 'POST', url: '/api/credit-memos/{id}', wrap: 'obj', item: 'response_data' },
          fields: {
            hostId: 'id', number: 'creditMemoNumber', customerId: 'customer.id', party: 'customer.name', date: 'creditDate', amount: 'amount', applied: 'appliedAmount',
            status: 'status', memo: 'description', quickbooksId: 'externalId', updatedAt: 'updatedTime',
          },
          writeBack: { qbId: 'quickbooksId' },
        },
      },
    },
  },
];
