import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import {
  AwsNetworkListing,
  CloudFormationDeployTargets,
  CloudFormationDriftAnswer,
  CloudFormationSecretsAnswer,
  CloudFormationStackAnswer,
  ServiceNameAvailability,
} from '@golden-path/plugin-cloudformation-common';

/**
 * Reads the CloudFormation stack behind a catalog entity, and where stacks may be deployed, from
 * the `cloudformation` backend.
 *
 * @public
 */
export interface CloudFormationApi {
  /**
   * The entity's stack, or why AWS cannot be read. Rejects with a {@link CloudFormationApiError}
   * (status 404 when the entity, its stack annotation or the stack does not exist).
   */
  getEntityStack(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationStackAnswer>;

  /**
   * The AWS accounts and regions the platform team allows deploys to. Rejects with a
   * {@link CloudFormationApiError}.
   */
  getDeployTargets(): Promise<CloudFormationDeployTargets>;

  /**
   * The Secrets Manager secrets of the entity's stack — KMS key, rotation, whether the running
   * tasks hold the current version, who read them in the last `windowDays` (1–90). Never a value.
   */
  getEntitySecrets(
    entityRef: CompoundEntityRef,
    options: { windowDays: number },
  ): Promise<CloudFormationSecretsAnswer>;

  /** The stack's last drift detection result, and whether the caller may start one. */
  getEntityDrift(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationDriftAnswer>;

  /** Runs a drift detection and answers its result; 403 for callers without the permission. */
  detectEntityDrift(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationDriftAnswer>;

  /**
   * Whether a new service may take the name: no catalog component, local repository or — when
   * `where` names a stack and region — stack uses it. Rejects with a {@link CloudFormationApiError}
   * (400 for a malformed name, with the rule in words).
   */
  checkServiceName(
    name: string,
    where?: ServiceNameQuery,
  ): Promise<ServiceNameAvailability>;
  /**
   * The VPCs and subnets of an allowed account and region, or why they cannot be listed (the form
   * then takes typed-in ids). Rejects with a {@link CloudFormationApiError}.
   */
  listNetworks(target: {
    accountId?: string;
    region: string;
  }): Promise<AwsNetworkListing>;
}

/** Where {@link CloudFormationApi.checkServiceName} looks for the service's stack. @public */
export interface ServiceNameQuery {
  stackName?: string;
  accountId?: string;
  region?: string;
}

/** @public */
export const cloudFormationApiRef = createApiRef<CloudFormationApi>().with({
  id: 'plugin.cloudformation.stacks',
  pluginId: 'cloudformation',
});

/**
 * A non-2xx answer of the backend, carrying its status and the message of its
 * `{ error: { name, message } }` body.
 *
 * @public
 */
export class CloudFormationApiError extends Error {
  override readonly name = 'CloudFormationApiError';

  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }

  static async fromResponse(
    response: Response,
  ): Promise<CloudFormationApiError> {
    const body = await response.json().catch(() => undefined);
    const message =
      body?.error?.message ??
      `Request failed with ${response.status} ${response.statusText}`;
    return new CloudFormationApiError(message, response.status);
  }
}

/**
 * {@link CloudFormationApi} over HTTP, authenticated by the app's fetch API.
 *
 * @public
 */
export class CloudFormationClient implements CloudFormationApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getEntityStack(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationStackAnswer> {
    const path = [entityRef.kind, entityRef.namespace, entityRef.name]
      .map(encodeURIComponent)
      .join('/');
    return this.get(`/stacks/by-entity/${path}`);
  }

  async getDeployTargets(): Promise<CloudFormationDeployTargets> {
    return this.get('/deploy-targets');
  }

  async checkServiceName(
    name: string,
    where: ServiceNameQuery = {},
  ): Promise<ServiceNameAvailability> {
    const query = new URLSearchParams(
      Object.entries(where).filter((entry): entry is [string, string] =>
        Boolean(entry[1]),
      ),
    ).toString();
    return this.get(
      `/service-names/${encodeURIComponent(name)}${query ? `?${query}` : ''}`,
    );
  }

  async listNetworks(target: {
    accountId?: string;
    region: string;
  }): Promise<AwsNetworkListing> {
    const query = new URLSearchParams({
      region: target.region,
      ...(target.accountId ? { accountId: target.accountId } : {}),
    });
    return this.get(`/networks?${query}`);
  }

  async getEntitySecrets(
    entityRef: CompoundEntityRef,
    options: { windowDays: number },
  ): Promise<CloudFormationSecretsAnswer> {
    return this.get(
      `/secrets/by-entity/${entityPath(entityRef)}?windowDays=${encodeURIComponent(options.windowDays)}`,
    );
  }

  async getEntityDrift(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationDriftAnswer> {
    return this.get(`/drift/by-entity/${entityPath(entityRef)}`);
  }

  async detectEntityDrift(
    entityRef: CompoundEntityRef,
  ): Promise<CloudFormationDriftAnswer> {
    return this.get(`/drift/by-entity/${entityPath(entityRef)}/detect`, {
      method: 'POST',
    });
  }

  private async get<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl =
      await this.options.discoveryApi.getBaseUrl('cloudformation');
    const url = `${baseUrl}${path}`;
    const response = await (init
      ? this.options.fetchApi.fetch(url, init)
      : this.options.fetchApi.fetch(url));
    if (!response.ok) throw await CloudFormationApiError.fromResponse(response);
    return response.json();
  }
}

function entityPath(entityRef: CompoundEntityRef): string {
  return [entityRef.kind, entityRef.namespace, entityRef.name]
    .map(encodeURIComponent)
    .join('/');
}
