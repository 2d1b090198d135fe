// The extension's whole state, in one IndexedDB database owned by the extension origin
// (host pages and content scripts cannot read it). Everything about a QuickBooks company is
// keyed by its realmId. Versions are only ever added, never edited or deleted.
import Dexie, { type EntityTable } from 'dexie';
import type { RecordStatus } from '../links';
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
  /** How far QuickBooks' clock is ahead of this computer's (its last change data capture's "time"). */
  clockOffsetMs?: number;
  /** Up to when (QuickBooks' clock) its changes have been read into the cache by change data capture. */
  changesReadTo?: number;
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
  /** Line items, from the app's API (bills, purchase orders, invoices). */
  lines?: Record<string, string>[];
  /** The record's version in the app: its updated time, or a hash of what it says. */
  version?: string;
  /** Where the extension last read it: a page (a hint) or the app's API (what the app holds). */
  source?: 'page' | 'api';
  /** What a page last showed of it (pages and the API write values differently: "$250.00", "250"). */
  pageFields?: Record<string, string>;
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

/** A record a write is about, in a host app: the app (profile on an origin), its kind and its id there. */
export interface HostRef {
  profileId: string;
  origin: string;
  kind: string;
  hostId: string;
}

/** The states of an outbox entry: pending -> in-flight -> done | failed | cancelled. */
export const OUTBOX_STATES = ['pending', 'in-flight', 'done', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * One write the product means to make, in QuickBooks or in a host app (lib/sync/outbox.ts). An
 * intent, not a frozen body: the body is built when the entry is first sent, from the intent and
 * the results of what it depends on, then kept for every retry.
 */
export interface OutboxEntry {
  /** The entry's id in this outbox; the same as requestId (one outbox never holds a write twice). */
  id: string;
  /** Creation order in this outbox. */
  seq: number;
  realmId: string;
  /** 'qbo', or the site profile id of the host app the write goes to. */
  target: string;
  operation: 'create' | 'update' | 'delete' | 'void' | 'deactivate';
  /** The QuickBooks entity (or, for host targets, the host record kind). */
  entity: string;
  /** The QuickBooks record the write is about (updates, deletes, voids), and its app record. */
  qbId?: string;
  host?: HostRef;
  /** `${profileId} ${origin} ${kind} ${hostId}` of `host`, for finding a record's entries. */
  hostKey?: string;
  /** Who asked: a user action, a workflow or an automation, in words for the log. */
  origin: { kind: 'user' | 'workflow' | 'automation' | 'undo'; name: string };
  /** Entries enqueued together by one action share it (undo takes back a whole action). */
  action: string;
  /** The fields to write; `{"$entry": id}` stands for the QuickBooks reference of a dependency's result. */
  intent: Record<string, unknown>;
  /** Entries that must be done first (the vendor before its bill). */
  dependsOn: string[];
  /** The requestid QuickBooks sees: derived from what the write is, so two browsers send the same. */
  requestId: string;
  /** The marker naming the write's origin, put on what it creates (look-before-create finds it). */
  marker: string;
  /** The body as first sent, kept for every retry. */
  body?: Record<string, unknown>;
  state: OutboxState;
  /** Sent at least once without a clear answer: look before sending again. */
  ambiguous?: boolean;
  /** Waits for a reconnect, or for an open page of the host app. */
  waiting?: 'reconnect' | 'host';
  attempts: number;
  /** Not before this time (backoff after a failure that may pass). */
  notBefore?: number;
  lastError?: { kind: string; message: string; code?: string };
  /**
   * What QuickBooks answered: the record's id, version and name, and (for what the product
   * created) a fingerprint of its content, which undo compares to see whether anyone changed it.
   */
  result?: { qbId: string; syncToken?: string; name?: string; fingerprint?: string };
  firstSentAt?: number;
  /** 1 while a create's record has not been checked for a colleague's copy (push.ts, settle). */
  unsettled?: 1;
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
  /** The outbox entry this exchange was for, and who asked for it (retry and undo start here). */
  outboxId?: string;
  origin?: string;
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

/** A host app the extension knows: a profile on an origin, and how far its records were read. */
export interface HostAppState {
  profileId: string;
  origin: string;
  /** How far the app's clock is ahead of this computer's, as its answers' Date header said. */
  clockOffsetMs?: number;
  /** Per kind: the app's time from which the next listing asks for changes, and the last full listing. */
  kinds: Record<string, { since?: string; fullAt?: number; count?: number }>;
  /** Why the last listing stopped (signed out, drift), in words. */
  problem?: string;
  /** When the last listing that stopped for nothing ended. */
  readAt?: number;
  /** The app's name, as its profile says it (for the popup). */
  name?: string;
  /**
   * Per kind: records the app answered "not found" for, more than a few at once: not believed
   * without the user, who marks them deleted or keeps them from the popup.
   */
  gone?: Record<string, string[]>;
  seenAt: number;
}

/**
 * The matcher's suggestions for an app's records of one kind against the company's QuickBooks
 * records, kept with a digest of what they were worked out from: the side panel shows them at once
 * while nothing changed (lib/links/matching.ts).
 */
export interface MatchCache {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  /** A digest of every app record's and QuickBooks record's id, name, email and phone. */
  inputs: string;
  suggestions: { hostId: string; qbId: string; score: number; confident: boolean }[];
}

/** Something that happened to a host app's record, recorded once per record and version. */
export interface HostEvent {
  seq?: number;
  /** app, kind, record, type and version: the same change is one event, however it was seen. */
  key: string;
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  hostId: string;
  type: 'created' | 'changed' | 'status' | 'deleted';
  /** For changed: the fields that changed; for status: the value reached. */
  fields?: string[];
  status?: string;
  version?: string;
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

/**
 * What the two-way sync of an app record and its QuickBooks record last agreed on, per QuickBooks
 * field (values normalised: digits of a phone, an email in lower case), and the writes on their way
 * that will make a new value agreed once they land (lib/workflows/customers.ts).
 */
export interface FieldSync {
  realmId: string;
  profileId: string;
  origin: string;
  hostId: string;
  qbId: string;
  /** The version of the QuickBooks record last looked at (a new one is a change, whatever QuickBooks' clock says). */
  qbToken?: string;
  values: Record<string, string>;
  /** Per field: the value it will have, the write that gives it, and what the written side said when it was enqueued. */
  pending: Record<string, { value: string; entryId: string; was?: string }>;
  /** The changes made, newest last (at most 50): the contact's sync history. */
  history: { at: number; field: string; to: 'QuickBooks' | 'app'; from: string; value: string }[];
}

/**
 * The QuickBooks states last drawn on an app's pages, per kind: what its list pages show at once
 * when they load again, before the worker confirms them (lib/hosts/worker/records.ts).
 */
export interface KnownStates {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  /** Per record: its id, the key of the id and fields its state was worked out from (lib/hosts/read.ts stateKey), and the state. */
  states: [hostId: string, key: number, status: RecordStatus][];
}

/** The records of one app (profile and origin) and kind, for one company: how host records are kept. */
export type HostGroupKey = [realmId: string, profileId: string, origin: string, kind: string];

/**
 * Host records are kept in chunks of at most HOST_CHUNK records per app and kind (lib/hosts/store.ts):
 * IndexedDB's cost is mostly per row, so a listing of 10,000 records is 20 rows, not 10,000.
 */
export const HOST_CHUNK = 500;

/** An app and kind's chunks: which ones there are, and a revision per chunk (what a reader has cached is checked against it). */
export interface HostGroupRow {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  /** Made when the group is first written: a cache of a group deleted and made again never matches. */
  gen: string;
  rev: number;
  /** Per chunk number: the revision that last wrote it. */
  chunkRevs: number[];
  count: number;
}

export interface HostChunkRow {
  realmId: string;
  profileId: string;
  origin: string;
  kind: string;
  chunk: number;
  records: HostRecord[];
}

/** A host record's key, and its link's: the company, the app (profile and origin), the kind and the app's id. */
export type HostKey = [realmId: string, profileId: string, origin: string, kind: string, hostId: string];

export class CompanionDb extends Dexie {
  connections!: EntityTable<Connection, 'realmId'>;
  qbPages!: Dexie.Table<QbPage, [string, string, number]>;
  qbRecords!: Dexie.Table<QbRecord, [string, string, string]>;
  hostGroups!: Dexie.Table<HostGroupRow, HostGroupKey>;
  hostChunks!: Dexie.Table<HostChunkRow, [...HostGroupKey, number]>;
  links!: Dexie.Table<Link, HostKey>;
  outbox!: EntityTable<OutboxEntry, 'id'>;
  logs!: EntityTable<LogEntry, 'id'>;
  logBodies!: Dexie.Table<LogBody, number>;
  syncCursors!: Dexie.Table<SyncCursor, [string, string]>;
  settings!: Dexie.Table<Setting, [string, string]>;
  drifts!: Dexie.Table<Drift, [string, string]>;
  hostApps!: Dexie.Table<HostAppState, [string, string]>;
  hostEvents!: EntityTable<HostEvent, 'seq'>;
  matchCache!: Dexie.Table<MatchCache, [string, string, string, string]>;
  fieldSync!: Dexie.Table<FieldSync, [string, string, string, string]>;
  knownStates!: Dexie.Table<KnownStates, [string, string, string, string]>;

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
    // 5: the outbox holds intents (lib/sync/outbox.ts), read pending first in creation order;
    // log entries name their outbox entry. Entries of the old shape (nothing wrote them) are
    // carried over as cancelled, with what they were.
    this.version(5)
      .stores({
        outbox: 'id, [realmId+state+seq], [realmId+hostKey], action, seq, [state+seq], [realmId+unsettled]',
        logs: '++id, timestamp, [realmId+timestamp], type, status, outboxId',
      })
      .upgrade(async (tx) => {
        let seq = 0;
        await tx
          .table('outbox')
          .toCollection()
          .modify((e: Record<string, unknown>) => {
            if (e.seq !== undefined) return;
            e.seq = ++seq;
            e.target = 'qbo';
            e.origin = { kind: 'user', name: 'Earlier version' };
            e.action = e.id;
            e.intent = (e.payload as Record<string, unknown>) ?? {};
            e.dependsOn = [];
            e.marker = '';
            e.state = e.state === 'done' ? 'done' : 'cancelled';
            delete e.payload;
          });
      });
    // 6: the host apps the extension reads through their APIs, and what happened to their records.
    this.version(6).stores({
      hostApps: '[profileId+origin]',
      hostEvents: '++seq, &key, [realmId+profileId+origin+kind], at',
    });
    // 7: host records lose their seenAt index (nothing looks them up by it; each index is one more
    // write per record, and a listing stores thousands).
    this.version(7).stores({
      hostRecords: '[realmId+profileId+origin+kind+hostId], [realmId+profileId+origin+kind]',
    });
    // 8: the matcher's last suggestions per app and kind.
    this.version(8).stores({ matchCache: '[realmId+profileId+origin+kind]' });
    // 9: what the two-way customer sync last agreed on, per app record and field.
    this.version(9).stores({ fieldSync: '[realmId+profileId+origin+hostId]' });
    // 10: the states last drawn on each app's pages, per kind.
    this.version(10).stores({ knownStates: '[realmId+profileId+origin+kind]' });
    // 11: host records move into chunks (HOST_CHUNK): storing a row costs IndexedDB about as much
    // as storing a chunk, so a listing of thousands was bound by its rows.
    this.version(11)
      .stores({ hostRecords: null, hostGroups: '[realmId+profileId+origin+kind]', hostChunks: '[realmId+profileId+origin+kind+chunk]' })
      .upgrade(async (tx) => {
        // A page of old rows at a time (a store of any size fits in memory), in key order, so each
        // group's rows come together and its chunks are written as they fill.
        const old = tx.table('hostRecords');
        const PAGE = 5_000;
        let group: { key: string; row: HostGroupRow; tail: HostRecord[] } | undefined;
        const writeTail = async (g: NonNullable<typeof group>) => {
          const { realmId, profileId, origin, kind } = g.row;
          await tx.table('hostChunks').add({ realmId, profileId, origin, kind, chunk: g.row.chunkRevs.length, records: g.tail } satisfies HostChunkRow);
          g.row.chunkRevs.push(1);
          g.tail = [];
        };
        const end = async (g: NonNullable<typeof group>) => {
          if (g.tail.length) await writeTail(g);
          await tx.table('hostGroups').add(g.row);
        };
        for (let last: HostKey | undefined; ; ) {
          const page = (await (last ? old.where(':id').above(last) : old.orderBy(':id')).limit(PAGE).toArray()) as HostRecord[];
          for (const r of page) {
            const key = JSON.stringify([r.realmId, r.profileId, r.origin, r.kind]);
            if (group?.key !== key) {
              if (group) await end(group);
              group = { key, row: { realmId: r.realmId, profileId: r.profileId, origin: r.origin, kind: r.kind, gen: crypto.randomUUID(), rev: 1, chunkRevs: [], count: 0 }, tail: [] };
            }
            group.tail.push(r);
            group.row.count++;
            if (group.tail.length === HOST_CHUNK) await writeTail(group);
          }
          if (page.length < PAGE) break;
          const r = page[page.length - 1];
          last = [r.realmId, r.profileId, r.origin, r.kind, r.hostId];
        }
        if (group) await end(group);
      });
  }
}

/** The database every extension context opens. Tests construct their own with another name. */
export const db = new CompanionDb();
