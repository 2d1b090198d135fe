// Every real QBO response body in test/fixtures/qbo-samples parses with the client's schemas,
// and every fault sample is classified with the kind the product acts on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdcEnvelope, DeletedStub, entityEnvelope, errorFromResponse, FaultEnvelope, GatewayFaultEnvelope, QueryEnvelope, schemas } from '../../lib/qbo';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'qbo-samples');
const text = (name: string) => readFileSync(join(DIR, name), 'utf8');
const json = (name: string) => JSON.parse(text(name));

describe('the schemas accept every reference sample', () => {
  it('has a check for every sample file', () => {
    const files = readdirSync(DIR).filter((f) => f !== 'SOURCES.md').sort();
    expect(files).toEqual([
      'bill_read_intuitdoc.json', 'billpayment_read_intuitdoc.json', 'cdc_deleted_intuitdoc.json', 'cdc_response.json',
      'customer_create.json', 'fault_401_auth_3200.json', 'fault_429_throttle.xml', 'fault_5010_stale_object.json',
      'fault_6240_duplicate_name.json', 'invoice_create.json', 'invoice_delete.json', 'purchaseorder_read_intuitdoc.json',
      'query_empty.json', 'vendor_query_page.json',
    ]);
  });

  it.each([
    ['bill_read_intuitdoc.json', 'Bill'],
    ['billpayment_read_intuitdoc.json', 'BillPayment'],
    ['customer_create.json', 'Customer'],
    ['invoice_create.json', 'Invoice'],
    ['purchaseorder_read_intuitdoc.json', 'PurchaseOrder'],
  ] as const)('%s parses as a %s', (file, entity) => {
    const parsed = entityEnvelope(entity).parse(json(file)) as Record<string, { Id: string }>;
    expect(parsed[entity].Id).toBe(json(file)[entity].Id);
    // Loose objects keep the fields the schema does not name.
    expect(Object.keys(parsed[entity]).sort()).toEqual(Object.keys(json(file)[entity]).sort());
  });

  it('vendor_query_page.json and query_empty.json parse as query responses', () => {
    const page = QueryEnvelope.parse(json('vendor_query_page.json'));
    const vendors = (page.QueryResponse as { Vendor: unknown[] }).Vendor.map((v) => schemas.Vendor.parse(v));
    expect(vendors.map((v) => v.DisplayName)).toContain('Books by Bessie');
    expect(page.QueryResponse.maxResults).toBe(5);
    expect(QueryEnvelope.parse(json('query_empty.json')).QueryResponse).toEqual({});
  });

  it('invoice_delete.json parses as a deleted stub', () => {
    expect(DeletedStub.parse(json('invoice_delete.json').Invoice)).toEqual({ domain: 'QBO', status: 'Deleted', Id: '266' });
  });

  it('cdc_response.json and cdc_deleted_intuitdoc.json parse as CDC responses', () => {
    const live = CdcEnvelope.parse(json('cdc_response.json'));
    const estimates = (live.CDCResponse[0].QueryResponse[0] as { Estimate: unknown[] }).Estimate.map((e) => schemas.Estimate.parse(e));
    expect(estimates[0].LinkedTxn?.[0]).toEqual({ TxnId: '49', TxnType: 'Invoice' });
    const doc = CdcEnvelope.parse(json('cdc_deleted_intuitdoc.json'));
    const rows = (doc.CDCResponse[0].QueryResponse[1] as { Estimate: unknown[] }).Estimate;
    expect(rows.filter((r) => DeletedStub.safeParse(r).success)).toHaveLength(1);
    expect((doc.CDCResponse[0].QueryResponse[0] as { Customer: unknown[] }).Customer.map((c) => schemas.Customer.parse(c).Id)).toEqual(['63', '99']);
  });

  it('the fault samples parse and are classified', () => {
    expect(FaultEnvelope.parse(json('fault_5010_stale_object.json')).Fault.Error[0].code).toBe('5010');
    expect(FaultEnvelope.parse(json('fault_6240_duplicate_name.json')).Fault.type).toBe('ValidationFault');
    expect(GatewayFaultEnvelope.parse(json('fault_401_auth_3200.json')).fault.error[0].code).toBe('3200');
    expect(errorFromResponse(400, text('fault_5010_stale_object.json'))).toMatchObject({ kind: 'StaleObject', code: '5010', message: 'Stale Object Error' });
    expect(errorFromResponse(400, text('fault_6240_duplicate_name.json'), 'tid-1')).toMatchObject({ kind: 'DuplicateName', intuitTid: 'tid-1' });
    expect(errorFromResponse(401, text('fault_401_auth_3200.json'))).toMatchObject({ kind: 'Auth', code: '3200', detail: expect.stringMatching(/^Token expired/) });
    expect(errorFromResponse(429, text('fault_429_throttle.xml'))).toMatchObject({ kind: 'Throttled', code: '3001', detail: 'The request limit was reached.  Try again later' });
  });
});
