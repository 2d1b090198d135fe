// What can go wrong talking to QuickBooks, as values with a kind the product can act on
// (reconnect, wait, re-read, rename, fix a reference...) and words that tell the user what to do.
import { FaultEnvelope, GatewayFaultEnvelope } from './schemas';

export type QboErrorKind =
  | 'Auth'
  | 'Throttled'
  | 'StaleObject'
  | 'DuplicateName'
  | 'DuplicateDocNumber'
  | 'NotFound'
  | 'Validation'
  | 'CompanyStatus'
  | 'Transient'
  | 'Unknown';

export interface QboErrorInit {
  kind: QboErrorKind;
  status?: number;
  code?: string;
  message: string;
  detail?: string;
  element?: string;
  intuitTid?: string;
}

/** What the user should do about each kind of error. */
export const ADVICE: Record<QboErrorKind, string> = {
  Auth: 'Reconnect to QuickBooks from the extension\'s options page.',
  Throttled: 'QuickBooks is limiting requests for this company. The extension waits and continues on its own.',
  StaleObject: 'The record changed in QuickBooks while it was being saved. It is read again and the change re-applied.',
  DuplicateName: 'QuickBooks already has a customer, vendor or employee with this name (perhaps inactive). Link to it, or change the name.',
  DuplicateDocNumber: 'QuickBooks already has a transaction with this number. Link to it, or use another number.',
  NotFound: 'A record this one refers to is missing or inactive in QuickBooks (an account, customer, vendor or item). Reactivate it in QuickBooks or choose another.',
  Validation: 'QuickBooks refused the data. Correct the field it names and try again.',
  CompanyStatus: 'The QuickBooks company cannot accept changes (its subscription may have ended). Check the company in QuickBooks.',
  Transient: 'QuickBooks could not be reached or had a temporary problem. The extension retries on its own.',
  Unknown: 'QuickBooks returned an unexpected answer. Try again; if it persists, send the log entry to support.',
};

export class QboError extends Error {
  readonly kind: QboErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
  readonly element?: string;
  readonly intuitTid?: string;

  constructor(init: QboErrorInit) {
    super(init.message);
    this.name = 'QboError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.element = init.element;
    this.intuitTid = init.intuitTid;
  }

  get advice(): string {
    return ADVICE[this.kind];
  }

  toJSON() {
    return { kind: this.kind, status: this.status, code: this.code, message: this.message, detail: this.detail, element: this.element, intuitTid: this.intuitTid };
  }
}

/** The kind of a QBO fault code (reference/qbo-api.md section 9.3). */
export function kindOfCode(code: string | undefined, status: number): QboErrorKind {
  const n = Number(code);
  if (status === 401 || status === 403 || n === 3200 || n === 3100 || n === 120 || n === 100) return 'Auth';
  if (status === 429 || n === 3001) return 'Throttled';
  if (n === 5010) return 'StaleObject';
  if (n === 6240) return 'DuplicateName';
  if (n === 6140) return 'DuplicateDocNumber';
  if (n === 610 || n === 2500) return 'NotFound';
  if (n === 6190) return 'CompanyStatus';
  if (status >= 500 || n === 10000) return 'Transient';
  if (status === 400 || (n >= 500 && n < 10000)) return 'Validation';
  return 'Unknown';
}

/** Builds the error for a non-2xx QBO response from whatever body it carried (JSON, gateway JSON, XML, HTML). */
export function errorFromResponse(status: number, bodyText: string, intuitTid?: string): QboError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    json = undefined;
  }
  const app = FaultEnvelope.safeParse(json);
  if (app.success) {
    const e = app.data.Fault.Error[0];
    return new QboError({ kind: kindOfCode(e.code, status), status, code: e.code, message: e.Message, detail: e.Detail, element: e.element ?? undefined, intuitTid });
  }
  const gw = GatewayFaultEnvelope.safeParse(json);
  if (gw.success) {
    const e = gw.data.fault.error[0];
    return new QboError({ kind: kindOfCode(e.code, status), status, code: e.code, message: e.message, detail: e.detail ?? undefined, intuitTid });
  }
  // QBO sends its throttle fault as XML even to JSON clients.
  const xml = /<Error code="(\d+)"[^>]*>\s*<Message>([^<]*)<\/Message>\s*(?:<Detail>([^<]*)<\/Detail>)?/.exec(bodyText);
  if (xml) return new QboError({ kind: kindOfCode(xml[1], status), status, code: xml[1], message: xml[2], detail: xml[3], intuitTid });
  const kind = kindOfCode(undefined, status);
  return new QboError({ kind, status, message: `QuickBooks answered HTTP ${status}`, detail: bodyText.slice(0, 300) || undefined, intuitTid });
}
