// QuickBooks Online for the rest of the extension: the client, schemas, errors, queries and links.
export { QboClient, DEFAULT_RETRY, type BatchItem, type BatchResult, type CdcResult, type Exchange, type QboClientOptions, type RetryPolicy, type TokenProvider, type WriteOptions } from './client';
export { endpointsFor, ENVIRONMENT_LABELS, LOCAL_SANDBOX_ORIGIN, type Endpoints, type Environment } from './environments';
export { ADVICE, errorFromResponse, QboError, type QboErrorKind } from './errors';
export { limiterFor, QBO_LIMITS, RealmLimiter, type LimitSettings } from './limiter';
export { WEB_PAGES, webLink } from './links';
export { literal, query, QueryBuilder, type Condition, type Operator, type Value } from './query';
export { redactText, redactUrl, redactValue } from './redact';
export {
  BatchEnvelope,
  CdcEnvelope,
  DeletedStub,
  ENTITY_NAMES,
  entityEnvelope,
  FaultEnvelope,
  GatewayFaultEnvelope,
  NAME_LIST_ENTITIES,
  QueryEnvelope,
  schemas,
  TRANSACTION_ENTITIES,
  VOIDABLE_ENTITIES,
  type Entity,
  type EntityName,
} from './schemas';
