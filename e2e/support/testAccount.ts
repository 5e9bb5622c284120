import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { parse, stringify } from 'yaml';
import { repoRoot } from './portal';

/** The one AWS account and region the scripted endpoints and moto answer for. */
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/**
 * The `aws` config that lets the portal deploy to and read the test account: credentials for the account
 * itself, so nothing asks STS which account the main credentials belong to.
 */
export const TEST_ACCOUNT_AWS_CONFIG = {
  accounts: [
    { accountId: ACCOUNT, accessKeyId: 'testing', secretAccessKey: 'testing' },
  ],
  cloudformation: { allowedAccountIds: [ACCOUNT], allowedRegions: [REGION] },
};

/**
 * The environment that points a backend's AWS SDK at the scripted CloudFormation endpoint (which answers
 * ECS too), through the SDK's own variables: neither the actions nor the cards are told about the fake.
 */
export function scriptedEndpointEnv(
  fake: FakeCloudFormation,
): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_CLOUDFORMATION: fake.url,
    AWS_ENDPOINT_URL_ECS: fake.url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
  };
}

/** A catalog component a test plants, e.g. one naming a stack through its annotations. */
export interface TestComponent {
  name: string;
  annotations?: Record<string, string>;
  /** Its owner's entity ref (default `group:default/platform-team`). */
  owner?: string;
}

export interface CatalogFixture {
  /** The `catalog` config: app-config.yaml's locations and the file holding the components. */
  config: { locations: unknown[] };
  remove(): Promise<void>;
}

/** Writes the components to a file of their own and the catalog config that reads it beside app-config's locations. */
export async function plantComponents(
  components: TestComponent[],
): Promise<CatalogFixture> {
  const directory = await mkdtemp(path.join(tmpdir(), 'catalog-fixture-'));
  const entitiesFile = path.join(directory, 'entities.yaml');
  await writeFile(
    entitiesFile,
    components
      .map(
        ({ name, annotations = {}, owner = 'group:default/platform-team' }) =>
          stringify({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name, annotations },
            spec: { type: 'service', lifecycle: 'experimental', owner },
          }),
      )
      .join('---\n'),
  );
  const appConfig = parse(
    await readFile(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return {
    config: {
      locations: [
        ...appConfig.catalog.locations,
        { type: 'file', target: entitiesFile },
      ],
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
