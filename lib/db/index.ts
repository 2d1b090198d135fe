// The extension's whole state, in one IndexedDB database owned by the extension origin
// (host pages and content scripts cannot read it). Everything about a QuickBooks company is
// keyed by its realmId. Versions are only ever added, never edited or deleted.
import Dexie, { type EntityTable } from 'dexie';
import type { Environment } from '../qbo/environments';

/** A secret sealed with the extension's key: readable only by this extension's own code. */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

/** Where a connection stands (Connection.status). */
export const CONNECTION_STATUSES = ['connected', 'needs-reconnect', 'disconnected'] as const;

/** One connected QuickBooks company. Tokens never leave the worker's side of the extension. */
export interface Connection {
  realmId: string;
  environment: Environment;
  companyName: string;
  status: (typeof CONNECTION_STATUSES)[number];
  /** Why the connection needs attention, in words a user can act on. */
  reason?: string;
  /** Tokens are AES-GCM ciphertext under a non-extractable key (lib/auth/secrets.ts). */
  accessToken?: Sealed;
  accessTokenExpiresAt?: number;
  refreshToken?: Sealed;
  refreshTokenExpiresAt?: number;
  refreshTokenHardExpiresAt?: number;
  connectedAt: number;
  refreshedAt?: number;
  lastSyncAt?: number;
}

/**
 * The QB cache holds each company's QuickBooks records as QBO returned them, in two parts: the
 * pages of the last full load (1,000 records in one value: IndexedDB writes a page in a few
 * milliseconds but spends that on every single record), and the records changed since, one
 * per row, which win over the pages (lib/db/qbcache.ts reads the two as one).
 */
export interface QbPage {
  realmId: string;
  entity: string;
  /** 1-based page of the full load, in Id order. */
  page: number;
  /** The query answer as QuickBooks sent it (parsed when read: lib/db/qbcache.ts). */
  text: string;
  rows: number;
  pulledAt: number;
}

/** A record changed since the last full load, or deleted (a tombstone) since then. */
export interface QbRecord {
  realmId: string;
  /** QBO entity name: Vendor, Customer, Invoice, ... */
  entity: string;
  id: string;
  deleted?: boolean;
  pulledAt: number;
  data?: Record<string, unknown>;
}

/**
 * A record read from a host app's page (a vendor row, a contact, a purchase order...). A host app
 * is a site profile on one origin: the same profile on two sites is two apps, which never see
 * each other's records or links.
 */
export interface HostRecord {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  hostId: string;
  name?: string;
  email?: string;
  fields: Record<string, string>;
  seenAt: number;
}

/** The join between a host record and a QuickBooks record, or a user's decision to ignore it. */
export interface Link {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  hostId: string;
  state: 'linked' | 'ignored';
  qbEntity?: string;
  qbId?: string;
  source: 'user' | 'auto' | 'created';
  createdAt: number;
}

/** A write waiting to reach QuickBooks. Its requestId is fixed at creation and reused on every retry. */
export interface OutboxEntry {
  id: string;
  realmId: string;
  requestId: string;
  entity: string;
  operation: 'create' | 'update' | 'delete' | 'void';
  payload: Record<string, unknown>;
  state: 'pending' | 'in-flight' | 'done' | 'failed';
  attempts: number;
  lastError?: string;
  /** Where the result goes when it lands (e.g. the host record to link). */
  linkTo?: { profileId: string; kind: string; hostId: string };
  createdAt: number;
  updatedAt: number;
}

/** One exchange with QuickBooks, as the user sees it in the log. Request and response are redacted. */
export interface LogEntry {
  id?: number;
  realmId: string;
  timestamp: number;
  /** Intuit transaction id of the exchange, for Intuit support. */
  intuitTid?: string;
  type: string;
  objectId?: string;
  objectName?: string;
  action: string;
  status: 'Completed' | 'Cancelled' | 'Not Completed';
  httpStatus?: number;
  durationMs?: number;
  error?: string;
  /** For a sync: how many records it brought in (loaded, changed and deleted). */
  records?: number;
  /** Whether logBodies holds the entry's request and response. */
  hasBody?: boolean;
}

/**
 * The redacted request and response of a log entry, kept apart from it: the log's lists read
 * many entries as they change, and only the entry a user opens needs its bodies.
 */
export interface LogBody {
  /** The log entry's id. */
  id: number;
  request?: string;
  response?: string;
}

/** Where a pull sync stands for one entity of one company, so a stopped worker resumes. */
export interface SyncCursor {
  realmId: string;
  entity: string;
  /** initial: a full load is under way (first load or daily reconcile); incremental: CDC. */
  phase: 'initial' | 'incremental';
  /** Rows loaded so far in the current full load, and how many QuickBooks said there are. */
  loaded: number;
  total?: number;
  /** Pages of 1,000 (numbered from 1) already stored in this full load. */
  pagesDone: number[];
  /** When the current full load began (local clock): copies not seen since are gone from QuickBooks. */
  loadStartedAt?: number;
  /** QuickBooks' time from which the next change data capture asks. */
  changedSince?: string;
  lastFullLoadAt?: number;
}

/** A site profile that matched a page but could not read it: the host app's layout changed. */
export interface Drift {
  profileId: string;
  profileName: string;
  pageId: string;
  /** Host and path of the page, e.g. portal.example.com/quickbooks/customers. */
  path: string;
  problem: 'no-records' | 'no-anchors';
  at: number;
}

export interface Setting {
  /** '' for settings that apply to every company. */
  realmId: string;
  key: string;
  value: unknown;
}

/** The first schema: tables and their indexes (Dexie's notation; the first key is the primary key). */
export const SCHEMA_V1 = {
  connections: 'realmId, status',
  qbPages: '[realmId+entity+page]',
  qbRecords: '[realmId+entity+id], [realmId+entity]',
  hostRecords: '[realmId+profileId+kind+hostId], [realmId+profileId+kind]',
  links: '[realmId+profileId+kind+hostId], [realmId+qbEntity+qbId], [realmId+profileId+kind]',
  outbox: 'id, &requestId, [realmId+state], createdAt',
  logs: '++id, timestamp, [realmId+timestamp], type, status',
  syncCursors: '[realmId+entity], realmId',
  settings: '[realmId+key]',
};

/** A host record's key, and its link's: the company, the app (profile and origin), the kind and the app's id. */
export type HostKey = [realmId: string, profileId: string, origin: string, kind: string, hostId: string];

export class CompanionDb extends Dexie {
  connections!: EntityTable<Connection, 'realmId'>;
  qbPages!: Dexie.Table<QbPage, [string, string, number]>;
  qbRecords!: Dexie.Table<QbRecord, [string, string, string]>;
  hostRecords!: Dexie.Table<HostRecord, HostKey>;
  links!: Dexie.Table<Link, HostKey>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  logs!: EntityTable<LogEntry, 'id'>;
  logBodies!: Dexie.Table<LogBody, number>;
  syncCursors!: Dexie.Table<SyncCursor, [string, string]>;
  settings!: Dexie.Table<Setting, [string, string]>;
  drifts!: Dexie.Table<Drift, [string, string]>;

  constructor(name = 'quickbooks-companion') {
    super(name);
    this.version(1).stores(SCHEMA_V1);
    // 2: log bodies move to their own table.
    this.version(2)
      .stores({ logBodies: 'id' })
      .upgrade(async (tx) => {
        const bodies: LogBody[] = [];
        await tx
          .table('logs')
          .toCollection()
          .modify((e: LogEntry & { request?: string; response?: string }) => {
            if (e.request !== undefined || e.response !== undefined) {
              bodies.push({ id: e.id!, request: e.request, response: e.response });
              e.hasBody = true;
            }
            delete e.request;
            delete e.response;
          });
        await tx.table('logBodies').bulkAdd(bodies);
      });
    // 3: drift reports leave the settings for a table of their own. Host records and links are
    // keyed by the page's origin too (IndexedDB cannot change a key, so they are dropped here and
    // made again in 4): records that earlier versions kept without an origin cannot be told
    // apart by site, so they are not carried over; pages send their records again when opened.
    this.version(3)
      .stores({ drifts: '[profileId+pageId]', hostRecords: null, links: null })
      .upgrade(async (tx) => {
        const prefix = 'drift:';
        const rows = await tx.table('settings').where('[realmId+key]').between(['', prefix], ['', `${prefix}\uffff`]).toArray();
        await tx.table('drifts').bulkPut(rows.map((r: Setting) => r.value));
        await tx.table('settings').bulkDelete(rows.map((r: Setting) => [r.realmId, r.key]));
      });
    this.version(4).stores({
      hostRecords: '[realmId+profileId+origin+kind+hostId], [realmId+profileId+origin+kind], seenAt',
      links: '[realmId+profileId+origin+kind+hostId], [realmId+qbEntity+qbId], [realmId+profileId+origin+kind]',
    });
  }
}

/** The database every extension context opens. Tests construct their own with another name. */
export const db = new CompanionDb();
