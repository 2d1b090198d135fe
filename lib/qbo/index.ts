// QuickBooks Online for the rest of the extension: the client, schemas, errors, queries and links.
export { QboClient, DEFAULT_RETRY, fullReadQuery, PAGE, type BatchItem, type BatchResult, type CdcResult, type Exchange, type QboClientOptions, type RetryPolicy, type TokenProvider, type WriteOptions } from './client';
export { endpointsFor, ENVIRONMENT_LABELS, ENVIRONMENTS, LOCAL_SANDBOX_ORIGIN, type Endpoints, type Environment } from './environments';
export { ADVICE, errorFromResponse, QboError, type QboErrorKind } from './errors';
export { limiterFor, QBO_LIMITS, RealmLimiter, type LimitSettings } from './limiter';
export { WEB_PAGES, webLink } from './links';
export { literal, query, QueryBuilder, type Condition, type Operator, type Value } from './query';
export { redactText, redactUrl, redactValue } from './redact';
export {
  BatchEnvelope,
  CdcEnvelope,
  CUSTOMER_TRANSACTIONS,
  DeletedStub,
  describeIssues,
  entityEnvelope,
  FaultEnvelope,
  GatewayFaultEnvelope,
  NAME_LIST_ENTITIES,
  QueryEnvelope,
  REALM_ID_PATTERN,
  schemas,
  VENDOR_TRANSACTIONS,
  type Entity,
  type EntityName,
} from './schemas';
