// QBO's fault bodies, in the exact shapes the real service sends: application faults as
// {"Fault":{"Error":[...],"type"}} with string codes, the gateway's lower-case 401/403 shape,
// and the XML throttle fault that QBO returns even to JSON clients.

export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

/** A fault raised while handling a request; the server turns it into QBO's JSON. */
export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly error: FaultError,
    readonly type = 'ValidationFault',
  ) {
    super(`${error.code} ${error.Message}: ${error.Detail}`);
  }
}

const v = (Message: string, Detail: string, code: string, element?: string) =>
  new QboFault(400, element === undefined ? { Message, Detail, code } : { Message, Detail, code, element });

/** Every application fault the emulator raises, named after what went wrong. */
export const fault = {
  unsupportedOperation: (relative: string) =>
    v(
      'Unsupported Operation',
      `Operation Could not find resource for relative : ${relative} of full path: ${relative} is not supported.`,
      '500',
    ),
  unsupportedOperationFor: (operation: string, entity: string, hint: string) =>
    v('Unsupported Operation', `Operation ${operation} is not supported for ${entity}. ${hint}`.trim(), '500'),
  invalidId: (value: string, element = 'Id') => v('Invalid ID', `Id should be a valid number. Supplied value:${value}`, '2030', element),
  unknownProperty: (entity: string, prop: string) =>
    v(
      'Request has invalid or unsupported property',
      `Property Name:Unrecognized field "${prop}" (class com.intuit.schema.finance.v3.${entity}), not marked as ignorable`,
      '2010',
    ),
  unparsableBody: (reason: string) =>
    v('Request has invalid or unsupported property', `Property Name:Can not parse the request body: ${reason}`, '2010'),
  /** A value of the wrong type, format or range: QBO's deserializer refuses it as an invalid property. */
  invalidValue: (path: string, why: string) =>
    v('Request has invalid or unsupported property', `Property Name:${path} ${why}`, '2010', path),
  /** QBO's answer to a body it cannot read as the Content-Type says (live: gomodule/oauth1#25). */
  unsupportedMediaType: (contentType: string, expected: string) =>
    v('Unsupported Operation', `Operation Cannot consume content type is not supported. Content-Type "${contentType}"; send ${expected}.`, '500'),
  /** A requestid already used for a different request (IPP error list: 600). */
  duplicateRequestId: (requestId: string) =>
    v(
      'RequestId already exists in the system, duplicate request is detected',
      `Duplicate request: requestid ${requestId} was used for a different operation or body. Use a new requestid for a new request.`,
      '600',
    ),
  requiredParam: (name: string) =>
    v(
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${name} is missing in the request`,
      '2020',
      name,
    ),
  invalidEnumeration: (name: string, value: unknown) =>
    v('Invalid Enumeration', `Invalid Enumeration : ${String(value)} is not a valid value for ${name}`, '2170', name),
  stringLength: (name: string, max: number, len: number) =>
    v(
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${len}`,
      '2050',
      name,
    ),
  invalidReference: (list: string, id: string) =>
    v('Invalid Reference Id', `Invalid Reference Id : ${list} element id ${id} not found`, '2500'),
  objectNotFound: (detail = 'Object Not Found : Something you\'re trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.') =>
    v('Object Not Found', detail, '610'),
  staleObject: () =>
    v(
      'Stale Object Error',
      'Stale Object Error : You and Sandbox User were working on this at the same time. Sandbox User finished before you did, so your work was not saved.',
      '5010',
      '',
    ),
  businessValidation: (detail: string) =>
    v('A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, '6000', ''),
  invalidAccountType: () =>
    v('Invalid Account.AccountType && Account.SubType', 'Account.AccountType or Account.AccountSubType is required', '6010'),
  amountCalculation: (line: number) =>
    v('Amount calculation incorrect in the request', `Amount is not equal to UnitPrice * Qty. Line ${line}`, '6070'),
  noName: (detail = 'Please provide a Display Name or at least one of Title, GivenName, MiddleName, FamilyName, Suffix') =>
    v('No Name Provided', detail, '6080'),
  duplicateDocNumber: (docNumber: string, entity: string, holderId: string) =>
    v(
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${entity} with TxnId=${holderId}`,
      '6140',
    ),
  duplicateName: () => v('Duplicate Name Exists Error', 'The name supplied already exists. : null', '6240'),
  queryParse: (detail: string) => v('Error parsing query', `QueryParserError: ${detail}`, '4000'),
  queryValidation: (detail: string) => v('Invalid query', `QueryValidationError: ${detail}`, '4001'),
  batchSize: (count: number) =>
    v('Batch size exceeds allowed limit', `The batch request has ${count} items; at most 30 are allowed.`, '1040'),
  systemFault: () =>
    new QboFault(
      500,
      { Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error: Something went wrong. Please try again.', code: '10000' },
      'SystemFault',
    ),
  serviceUnavailable: () =>
    new QboFault(
      503,
      { Message: 'Service Unavailable', Detail: 'The service is temporarily unavailable. Please try again.', code: '10000' },
      'SystemFault',
    ),
};

export function faultBody(f: QboFault, time: string) {
  return { Fault: { Error: [f.error], type: f.type }, time };
}

/** The gateway's 401: lower-case keys, nulls, and a numeric epoch-ms time. */
export function authFaultBody(detail: string, nowMs: number) {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, code: '3200', element: null }],
      type: 'AUTHENTICATION',
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: nowMs,
    status: null,
    cdcresponse: [],
  };
}

/** The gateway's 403 when a token is used for a company it was not issued for. */
export function forbiddenFaultBody() {
  return {
    fault: {
      error: [{ message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', detail: null, code: '3100', element: null }],
      type: 'SERVICE',
    },
  };
}

export function throttleXml(time: string) {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="${time}" xmlns="http://schema.intuit.com/finance/v3">
  <Fault type="SERVICE">
    <Error code="3001">
      <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
      <Detail>The request limit was reached.  Try again later</Detail>
    </Error>
  </Fault>
</IntuitResponse>`;
}

export function throttleJson(time: string) {
  return {
    Fault: {
      Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001' }],
      type: 'SERVICE',
    },
    time,
  };
}
