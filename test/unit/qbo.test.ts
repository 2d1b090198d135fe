// Pure parts of lib/qbo: error kinds, query escaping, redaction, deep links, endpoints.
import { describe, expect, it } from 'vitest';
import { endpointsFor, errorFromResponse, literal, query, redactText, redactUrl, webLink } from '../../lib/qbo';

describe('error kinds', () => {
  const fault = (code: string) => JSON.stringify({ Fault: { Error: [{ Message: 'm', Detail: 'd', code }], type: 'ValidationFault' } });
  it.each([
    [400, '5010', 'StaleObject'],
    [400, '6240', 'DuplicateName'],
    [400, '6140', 'DuplicateDocNumber'],
    [400, '610', 'NotFound'],
    [400, '2500', 'NotFound'],
    [400, '6190', 'CompanyStatus'],
    [400, '2020', 'Validation'],
    [400, '4001', 'Validation'],
    [400, '6000', 'Validation'],
    [500, '10000', 'Transient'],
    [503, '10000', 'Transient'],
    [403, '3100', 'Auth'],
  ] as const)('HTTP %i with code %s is %s', (status, code, kind) => {
    expect(errorFromResponse(status, fault(code)).kind).toBe(kind);
  });
  it('classifies bodies that are not QBO faults by status', () => {
    expect(errorFromResponse(502, '<html>Bad gateway</html>')).toMatchObject({ kind: 'Transient', status: 502 });
    expect(errorFromResponse(404, '')).toMatchObject({ kind: 'Unknown', status: 404 });
    expect(errorFromResponse(429, '')).toMatchObject({ kind: 'Throttled' });
  });
});

describe('query builder', () => {
  it('escapes quotes and backslashes, and refuses field names that are not fields', () => {
    expect(literal("Amy's \\ Co")).toBe("'Amy\\'s \\\\ Co'");
    expect(query('Vendor').where('DisplayName', '=', "x' OR 1=1 --").page(1, 10)).toBe(
      "SELECT * FROM Vendor WHERE DisplayName = 'x\\' OR 1=1 --' STARTPOSITION 1 MAXRESULTS 10",
    );
    expect(query('Invoice').where('TotalAmt', '>', 10).where('CustomerRef', 'IN', ['1', '2']).orderBy('TxnDate', true).count()).toBe(
      "SELECT COUNT(*) FROM Invoice WHERE TotalAmt > 10 AND CustomerRef IN ('1', '2')",
    );
    expect(() => query('Vendor').where('DisplayName = 1 OR Id', '=', 1)).toThrow(/Not a QuickBooks field name/);
    expect(() => query('Vendor').where('Id', 'IN', [])).toThrow(/non-empty list/);
    expect(() => literal(Number.NaN)).toThrow();
  });
  it('adds Active IN (true, false) once for name lists', () => {
    expect(query('Customer').includeInactive().includeInactive().page(1, 1000)).toBe('SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000');
  });
});

describe('redaction', () => {
  it('removes tokens and secrets from JSON and form bodies and URLs', () => {
    const out = redactText(JSON.stringify({ access_token: 'eyJabc', nested: { refresh_token: 'AB11x', client_secret: 's' }, DisplayName: 'Keep me', SSN: '123' }))!;
    expect(out).not.toMatch(/eyJabc|AB11x|"s"|123/);
    expect(out).toContain('Keep me');
    expect(redactText('grant_type=refresh_token&refresh_token=AB11secret&code=xyz')).toBe('grant_type=refresh_token&refresh_token=[redacted]&code=[redacted]');
    expect(redactText('Authorization: Bearer eyJhbGciOi.J9')).toBe('Authorization: Bearer [redacted]');
    expect(redactUrl('https://x/cb?code=abc&state=1')).toBe('https://x/cb?code=[redacted]&state=1');
    expect(redactText('x'.repeat(20_000))!.length).toBeLessThan(16_100);
  });
});

describe('deep links and endpoints', () => {
  it('links every environment to the right web app page', () => {
    expect(webLink('production', 'Customer', '42')).toBe('https://app.qbo.intuit.com/app/customerdetail?nameId=42');
    expect(webLink('intuit-sandbox', 'Invoice', '7')).toBe('https://app.sandbox.qbo.intuit.com/app/invoice?txnId=7');
    expect(webLink('local-sandbox', 'Payment', '9', '123', 'http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000/app/recvpayment?txnId=9&companyId=123');
    expect(webLink('production', 'Preferences', '1')).toBeUndefined();
  });
  it('has one setting for where QuickBooks is', () => {
    expect(endpointsFor('production').api).toBe('https://quickbooks.api.intuit.com');
    expect(endpointsFor('intuit-sandbox').api).toBe('https://sandbox-quickbooks.api.intuit.com');
    expect(endpointsFor('local-sandbox', 'http://127.0.0.1:4999/').token).toBe('http://127.0.0.1:4999/oauth2/v1/tokens/bearer');
  });
});

describe('redaction of large bodies', () => {
  it('cuts first and still redacts secrets, even one cut in half', () => {
    const big = JSON.stringify({ rows: 'x'.repeat(15_990), refresh_token: 'AB11' + 'y'.repeat(100), more: 'z'.repeat(50_000) });
    const out = redactText(big)!;
    expect(out).not.toMatch(/AB11/);
    expect(out).toMatch(/more characters\)$/);
    expect(out.length).toBeLessThan(16_100);
  });
});

describe('row checks for bulk reads', () => {
  it('accepts rows with unknown fields and refuses a named field of the wrong type', async () => {
    const { rowChecker, schemas } = await import('../../lib/qbo/schemas');
    const check = rowChecker(schemas.Vendor);
    expect(check({ Id: '1', DisplayName: 'A', Balance: 2, Unknown: { x: 1 } })).toBeUndefined();
    expect(check({ Id: '1', DisplayName: 7 })).toBe('DisplayName: expected string, got number');
    expect(check({ DisplayName: 'no id' })).toBe('Id: required');
    expect(check([1])).toBe('not an object');
  });
});
