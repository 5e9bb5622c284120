import {
  CloudTrailClient,
  LookupEventsCommand,
  Event as TrailEvent,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudFormationPartUnavailable,
  CloudFormationReaderKind,
  CloudFormationRotationResult,
  CloudFormationSecretReader,
} from '@golden-path/plugin-cloudformation-common';
import { isThrottlingError } from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied } from '../awsErrors';

/** LookupEvents answers at most 50 events a page; 10 pages bound one refresh to 500 reads. */
const PAGE_SIZE = 50;
const MAX_READ_PAGES = 10;
const MAX_SOURCE_ADDRESSES = 3;
/** Secrets Manager's rotation events in CloudTrail and what they mean for the card. */
const ROTATION_EVENTS: Record<string, CloudFormationRotationResult['outcome']> =
  {
    RotationSucceeded: 'succeeded',
    RotationFailed: 'failed',
  };

/** One CloudTrail record, reduced to what the card needs (no request or response payloads). */
export interface TrailRecord {
  name: string;
  at: Date;
  /** The secret id the call named (ARN, partial ARN or name). */
  secretIds: string[];
  principal: string;
  roleName?: string;
  sessionName?: string;
  invokedBy?: string;
  identityType?: string;
  sourceAddress?: string;
  errorCode?: string;
}

/** The Secrets Manager events of the window, for every secret of the stack at once. */
export interface TrailRecords {
  reads: TrailRecord[];
  rotations: TrailRecord[];
  /** More reads existed than were read. */
  truncated: boolean;
}

/**
 * Reads `GetSecretValue` and rotation events of the window from CloudTrail's event history
 * (LookupEvents, one event name per lookup as the API requires). Sequential on purpose:
 * LookupEvents allows 2 requests per second per account and region.
 */
export async function readTrail(
  client: CloudTrailClient,
  window: { start: Date; end: Date },
): Promise<TrailRecords | CloudFormationPartUnavailable> {
  try {
    const reads = await lookup(
      client,
      'GetSecretValue',
      window,
      MAX_READ_PAGES,
    );
    const rotations: TrailRecord[] = [];
    for (const name of Object.keys(ROTATION_EVENTS)) {
      rotations.push(...(await lookup(client, name, window, 1)).records);
    }
    return { reads: reads.records, rotations, truncated: reads.truncated };
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        status: 'unavailable',
        reason: 'access-denied',
        message:
          "CloudTrail LookupEvents not allowed for the portal's role: add cloudtrail:LookupEvents.",
      };
    }
    if (isThrottlingError(error)) {
      return {
        status: 'unavailable',
        reason: 'throttled',
        message:
          'CloudTrail is throttling LookupEvents (2 requests per second per account and region); the readers show again shortly.',
      };
    }
    throw error;
  }
}

async function lookup(
  client: CloudTrailClient,
  eventName: string,
  window: { start: Date; end: Date },
  maxPages: number,
) {
  const records: TrailRecord[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: eventName },
        ],
        StartTime: window.start,
        EndTime: window.end,
        MaxResults: PAGE_SIZE,
        NextToken: nextToken,
      }),
    );
    records.push(
      ...(page.Events ?? []).flatMap(event => parseRecord(event) ?? []),
    );
    nextToken = page.NextToken;
    pages += 1;
  } while (nextToken && pages < maxPages);
  return { records, truncated: Boolean(nextToken) };
}

/** The parts of a CloudTrail record's JSON the card reads. */
interface TrailRecordJson {
  eventName?: string;
  eventTime?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    invokedBy?: string;
    sessionContext?: {
      sessionIssuer?: { type?: string; arn?: string; userName?: string };
    };
  };
  requestParameters?: { secretId?: unknown };
  additionalEventData?: { SecretId?: unknown };
  serviceEventDetails?: { secretId?: unknown };
  resources?: Array<{ ARN?: unknown; arn?: unknown }>;
  sourceIPAddress?: unknown;
  errorCode?: string;
}

/** Reads the fields the card uses from the record's JSON; a record that does not parse is skipped. */
export function parseRecord(event: TrailEvent): TrailRecord | undefined {
  let detail: TrailRecordJson;
  try {
    detail = JSON.parse(event.CloudTrailEvent ?? '{}');
  } catch {
    return undefined;
  }
  const identity = detail.userIdentity ?? {};
  const issuer = identity.sessionContext?.sessionIssuer ?? {};
  const assumed = identity.arn?.match(/:assumed-role\/([^/]+)\/(.+)$/);
  const roleName: string | undefined =
    issuer.type === 'Role' ? issuer.userName : assumed?.[1];
  const principal: string =
    (issuer.type === 'Role' && issuer.arn) ||
    (assumed && identity.accountId
      ? `arn:aws:iam::${identity.accountId}:role/${assumed[1]}`
      : undefined) ||
    identity.arn ||
    identity.invokedBy ||
    event.Username ||
    'unknown';
  const secretIds = [
    detail.requestParameters?.secretId,
    detail.additionalEventData?.SecretId,
    detail.serviceEventDetails?.secretId,
    ...(Array.isArray(detail.resources)
      ? detail.resources.map(resource => resource.ARN ?? resource.arn)
      : []),
  ].filter((id): id is string => typeof id === 'string');
  return {
    name: event.EventName ?? String(detail.eventName ?? ''),
    at: event.EventTime ?? new Date(detail.eventTime ?? 0),
    secretIds,
    principal,
    roleName,
    sessionName: assumed?.[2],
    invokedBy: identity.invokedBy,
    identityType: identity.type,
    sourceAddress:
      typeof detail.sourceIPAddress === 'string'
        ? detail.sourceIPAddress
        : undefined,
    errorCode: detail.errorCode,
  };
}

/** Whether a record names this secret: by ARN, by the ARN without its random suffix, or by name. */
export function namesSecret(
  record: TrailRecord,
  secret: { arn: string; name?: string },
): boolean {
  return record.secretIds.some(
    id =>
      id === secret.arn ||
      id === secret.name ||
      (id.startsWith('arn:') && secret.arn.startsWith(`${id}-`)),
  );
}

/** The roles the stack's own principals use, to tell expected readers from anyone else. */
export interface KnownPrincipals {
  executionRoleName?: string;
  taskRoleName?: string;
  /** The rotation function's name: Lambda names the role session after the function. */
  rotationFunctionName?: string;
}

export function classify(
  record: TrailRecord,
  known: KnownPrincipals,
): CloudFormationReaderKind {
  if (record.roleName && record.roleName === known.executionRoleName)
    return 'execution-role';
  if (record.roleName && record.roleName === known.taskRoleName)
    return 'task-role';
  if (
    known.rotationFunctionName &&
    record.sessionName === known.rotationFunctionName
  )
    return 'rotation';
  // RDS rotates the secrets it manages itself; Secrets Manager calls on behalf of managed rotation.
  if (
    record.identityType === 'AWSService' ||
    /^(rds|secretsmanager)\.amazonaws\.com$/.test(record.invokedBy ?? '')
  )
    return 'rotation';
  return 'other';
}

/** Groups a secret's reads by principal; unexpected readers first, then by most reads. */
export function groupReaders(
  reads: TrailRecord[],
  known: KnownPrincipals,
): CloudFormationSecretReader[] {
  const byPrincipal = new Map<string, CloudFormationSecretReader>();
  for (const read of reads) {
    const kind = classify(read, known);
    const reader = byPrincipal.get(read.principal) ?? {
      principal: read.principal,
      kind,
      unexpected: kind === 'other',
      reads: 0,
      deniedReads: 0,
      lastReadAt: read.at.toISOString(),
      sourceAddresses: [],
    };
    reader.reads += 1;
    if (read.errorCode) reader.deniedReads += 1;
    if (read.at.toISOString() > reader.lastReadAt)
      reader.lastReadAt = read.at.toISOString();
    if (
      read.sourceAddress &&
      !reader.sourceAddresses.includes(read.sourceAddress) &&
      reader.sourceAddresses.length < MAX_SOURCE_ADDRESSES
    ) {
      reader.sourceAddresses.push(read.sourceAddress);
    }
    byPrincipal.set(read.principal, reader);
  }
  return [...byPrincipal.values()].sort(
    (a, b) => Number(b.unexpected) - Number(a.unexpected) || b.reads - a.reads,
  );
}

/** The newest rotation outcome recorded for the secret. */
export function lastRotationResult(
  rotations: TrailRecord[],
): CloudFormationRotationResult | undefined {
  const latest = [...rotations].sort(
    (a, b) => b.at.getTime() - a.at.getTime(),
  )[0];
  return latest
    ? { outcome: ROTATION_EVENTS[latest.name], at: latest.at.toISOString() }
    : undefined;
}
