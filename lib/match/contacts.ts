// Emails and phone numbers as matching evidence. A shared company address or phone backs up a
// name match; a shared free-mail domain (gmail, yahoo...) proves nothing about who a record is.

const FREE_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'ymail.com', 'rocketmail.com', 'msn.com', 'icloud.com', 'me.com',
  'mac.com', 'protonmail.com', 'proton.me', 'pm.me', 'mail.com', 'zoho.com', 'zohomail.com',
  'comcast.net', 'att.net', 'sbcglobal.net', 'verizon.net', 'bellsouth.net', 'cox.net',
  'charter.net', 'earthlink.net', 'optonline.net', 'juno.com', 'netzero.net', 'frontier.com',
  'windstream.net', 'centurylink.net', 'qq.com', '163.com', '126.com', 'sina.com', 'naver.com',
  'web.de', 't-online.de', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'btinternet.com',
  'sky.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'aim.com', 'mailinator.com', 'inbox.com',
]);
/** Providers with a domain per country (yahoo.co.uk, hotmail.fr, gmx.de...). */
const FREE_MAIL_PROVIDERS = new Set(['yahoo', 'hotmail', 'outlook', 'live', 'gmx', 'yandex', 'aol']);
// Second-level labels under which a country registers companies (acme.co.uk, acme.com.au).
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'ltd', 'plc', 'ne', 'or']);

/** A phone, address or domain on more records than this (a switchboard, the agency's own domain) identifies nobody. */
export const MAX_RECORDS_PER_CONTACT = 2;

export interface Contacts {
  /** Every well-formed address on the record, lower-cased. */
  emails: string[];
  /** Company domains (registrable part) of those addresses; free-mail domains are left out. */
  companyDomains: string[];
  /** Last ten digits of each phone number, extensions dropped. */
  phones: string[];
}

/** acme.co.uk for ap@mail.acme.co.uk: the part a company registers. */
export function registrableDomain(domain: string): string {
  if (domain.indexOf('.') === domain.lastIndexOf('.') && domain === domain.toLowerCase()) return domain;
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const take = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

export function isFreeMailDomain(domain: string): boolean {
  const registrable = registrableDomain(domain);
  return FREE_MAIL_DOMAINS.has(registrable) || FREE_MAIL_PROVIDERS.has(registrable.split('.')[0]);
}

/** A host app may hold several addresses in one field ("ap@acme.com; jo@acme.com"). */
export function readEmails(value: string | null | undefined): string[] {
  if (typeof value !== 'string' || value.length === 0) return [];
  const out: string[] = [];
  const parts = /[\s,;]/.test(value) ? value.slice(0, 512).split(/[\s,;]+/) : [value.slice(0, 512)];
  for (const part of parts) {
    const email = part.trim().toLowerCase().replace(/^mailto:/, '').replace(/^<|>$/g, '');
    if (/^[^@\s]+@[^@\s]+\.[a-z0-9-]{2,}$/.test(email) && !out.includes(email)) out.push(email);
  }
  return out;
}

/** "(312) 555-0142 x12", "+1 312.555.0142" and "3125550142" are one number. */
export function readPhone(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const withoutExtension = value.slice(0, 64).split(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i)[0];
  let digits = withoutExtension.replace(/\D/g, '');
  if (digits.startsWith('00')) digits = digits.slice(2);
  // Numbers shorter than a local number are codes or typos, not evidence.
  if (digits.length < 7) return null;
  return digits.slice(-10);
}

export function readContacts(email: string | null | undefined, phone: string | null | undefined): Contacts {
  const emails = readEmails(email);
  const companyDomains: string[] = [];
  for (const e of emails) {
    const domain = e.slice(e.lastIndexOf('@') + 1);
    if (isFreeMailDomain(domain)) continue;
    const registrable = registrableDomain(domain);
    if (!companyDomains.includes(registrable)) companyDomains.push(registrable);
  }
  const p = readPhone(phone);
  return { emails, companyDomains, phones: p ? [p] : [] };
}

/**
 * How strongly two records' contacts say they are the same party.
 * strong: same phone or same company address. medium: same company domain.
 * weak: same free-mail address (one person may run several businesses from it). none.
 */
export type ContactEvidence = 'strong' | 'medium' | 'weak' | 'none';

/**
 * `isShared(key)` says a phone, address or domain sits on many records (a switchboard, the
 * agency's own domain) and so identifies nobody.
 */
export function contactEvidence(a: Contacts, b: Contacts, isShared: (key: string) => boolean): ContactEvidence {
  if (a.phones.length > 0 && b.phones.length > 0 && a.phones.some((p) => b.phones.includes(p) && !isShared(p))) {
    return 'strong';
  }
  let freeMatch = false;
  for (const e of a.emails) {
    if (!b.emails.includes(e) || isShared(e)) continue;
    if (isFreeMailDomain(e.slice(e.lastIndexOf('@') + 1))) freeMatch = true;
    else return 'strong';
  }
  if (a.companyDomains.some((d) => b.companyDomains.includes(d) && !isShared(d))) return 'medium';
  return freeMatch ? 'weak' : 'none';
}
