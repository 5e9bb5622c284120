import { randomUUID } from 'node:crypto';
import {
  AMZ_JSON,
  FakeHttpServer,
  jsonParams,
  jsonTargetAction,
  type FakeReply,
  type FakeRequest,
} from './fakeHttpServer';

/** Who made a call, as CloudTrail's `userIdentity` says. */
export type FakeTrailIdentity =
  | { role: string; session: string; accountId?: string }
  | { user: string; accountId?: string }
  | { service: string };

/** A record of CloudTrail's event history. */
export type FakeTrailRecord = {
  eventName: string;
  at: Date;
  identity: FakeTrailIdentity;
  secretId: string;
  sourceIp?: string;
  errorCode?: string;
};

/**
 * CloudTrail's `LookupEvents` (JSON protocol) for what moto lacks: the event history, planted by
 * the test, filtered by one lookup attribute and time window and paged like CloudTrail (at most
 * 50 a page). `deny()` answers AccessDeniedException, like a role without cloudtrail:LookupEvents.
 */
export class FakeCloudTrail {
  readonly calls: Array<{
    action: string;
    params: Record<string, unknown>;
    at: number;
  }> = [];
  private readonly records: FakeTrailRecord[] = [];
  private denied = false;
  /** Time every answer waits, to stand in for a real region's latency in benchmarks. */
  latencyMs = 0;

  private server?: FakeHttpServer;

  private constructor(private readonly accountId: string) {}

  static async start(
    options: { accountId?: string } = {},
  ): Promise<FakeCloudTrail> {
    const fake = new FakeCloudTrail(options.accountId ?? '123456789012');
    fake.server = await FakeHttpServer.start(
      (request, reply) => fake.handle(request, reply),
      () => fake.latencyMs,
    );
    return fake;
  }

  get url(): string {
    return this.server!.url;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  /** Adds a record to the event history. */
  record(record: FakeTrailRecord): void {
    this.records.push(record);
  }

  /** Answers AccessDeniedException from now on (or again normally with `false`). */
  deny(denied = true): void {
    this.denied = denied;
  }

  private handle(request: FakeRequest, send: FakeReply): void {
    const params = jsonParams(request);
    const action = jsonTargetAction(request);
    this.calls.push({ action, params, at: Date.now() });
    const reply = (status: number, body: unknown) =>
      send(status, AMZ_JSON, JSON.stringify(body));
    if (this.denied) {
      reply(400, {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:sts::${this.accountId}:assumed-role/backstage/portal is not authorized to perform: cloudtrail:LookupEvents`,
      });
      return;
    }
    if (action !== 'LookupEvents') {
      reply(400, {
        __type: 'UnknownOperationException',
        message: `Unsupported action ${action}`,
      });
      return;
    }
    reply(200, this.lookup(params));
  }

  private lookup(params: Record<string, unknown>) {
    const [attribute] =
      (params.LookupAttributes as
        Array<{ AttributeKey: string; AttributeValue: string }> | undefined) ??
      [];
    const start =
      typeof params.StartTime === 'number' ? params.StartTime * 1000 : 0;
    const end =
      typeof params.EndTime === 'number' ? params.EndTime * 1000 : Date.now();
    const matching = this.records
      .filter(
        record => record.at.getTime() >= start && record.at.getTime() <= end,
      )
      .filter(
        record =>
          !attribute ||
          (attribute.AttributeKey === 'EventName'
            ? record.eventName === attribute.AttributeValue
            : attribute.AttributeKey === 'EventSource'),
      )
      .sort((a, b) => b.at.getTime() - a.at.getTime());
    const size = Math.min(Number(params.MaxResults ?? 50), 50);
    const from = Number(params.NextToken ?? 0);
    const page = matching.slice(from, from + size);
    return {
      Events: page.map(record => ({
        EventId: randomUUID(),
        EventName: record.eventName,
        EventTime: record.at.getTime() / 1000,
        EventSource: 'secretsmanager.amazonaws.com',
        CloudTrailEvent: JSON.stringify(this.toJson(record)),
      })),
      NextToken:
        from + size < matching.length ? String(from + size) : undefined,
    };
  }

  // The record as CloudTrail writes it: GetSecretValue carries no response (the value never is logged).
  private toJson(record: FakeTrailRecord) {
    const { identity } = record;
    const accountId =
      ('accountId' in identity && identity.accountId) || this.accountId;
    let userIdentity: Record<string, unknown>;
    if ('role' in identity) {
      userIdentity = {
        type: 'AssumedRole',
        accountId,
        arn: `arn:aws:sts::${accountId}:assumed-role/${identity.role}/${identity.session}`,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${accountId}:role/${identity.role}`,
            userName: identity.role,
          },
        },
      };
    } else if ('user' in identity) {
      userIdentity = {
        type: 'IAMUser',
        accountId,
        arn: `arn:aws:iam::${accountId}:user/${identity.user}`,
        userName: identity.user,
      };
    } else {
      userIdentity = { type: 'AWSService', invokedBy: identity.service };
    }
    const rotation = record.eventName.startsWith('Rotation');
    return {
      eventVersion: '1.09',
      userIdentity,
      eventTime: record.at.toISOString(),
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: record.eventName,
      eventType: rotation ? 'AwsServiceEvent' : 'AwsApiCall',
      sourceIPAddress:
        record.sourceIp ??
        (rotation ? 'secretsmanager.amazonaws.com' : '10.0.1.17'),
      errorCode: record.errorCode,
      requestParameters: rotation ? null : { secretId: record.secretId },
      responseElements: null,
      additionalEventData: rotation ? { SecretId: record.secretId } : undefined,
      recipientAccountId: accountId,
    };
  }
}
