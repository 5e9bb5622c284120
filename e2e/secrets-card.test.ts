import { Page } from 'playwright-core';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import {
  FakeCloudFormation,
  FakeCloudTrail,
  FakeStackDrift,
  startMotoServer,
  type MotoServer,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import { signInAsGuest, waitForTaskToFinish } from './support/browser';
import { BrowserPortal, startBrowserPortal } from './support/browserPortal';
import { Portal } from './support/portal';
import {
  createInMoto,
  deployedStack,
  DeployedStack,
  plantReads,
} from './support/secretsWorld';
import {
  createServiceOnForm,
  openCreatedComponent,
} from './support/serviceForm';
import { ACCOUNT, REGION } from './support/testAccount';

// The Secrets and drift cards in Chromium over the real backend and the real AWS SDK: moto answers
// Secrets Manager and ECS, the project's scripted endpoints CloudFormation (with drift) and CloudTrail
// — each reached through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variable. The golden path runs from
// the Create page to the entity page; screenshots land in test-results/screenshots/secrets-*.png.
jest.setTimeout(180_000);

const service = {
  name: 'wallet-api',
  owner: 'platform-team',
  stackName: 'wallet-api-dev',
};
// Names the same stack but belongs to another team: the guest may read it, not check its drift.
const foreign = { name: 'wallet-mirror', owner: 'group:default/other-team' };
const PLANTED_PASSWORD_DRIFT = 'drifted-password-5b1e';

let moto: MotoServer;
let cloudTrail: FakeCloudTrail;
let harness: BrowserPortal;
let cloudFormation: FakeCloudFormation;
let drift: FakeStackDrift;
let portal: Portal;
let page: Page;
let stack: DeployedStack;
let secretValue: string;

beforeAll(async () => {
  [moto, cloudTrail] = await Promise.all([
    startMotoServer(),
    FakeCloudTrail.start({ accountId: ACCOUNT }),
  ]);
  harness = await startBrowserPortal({
    scriptedStacks: { [service.stackName]: { stepMs: 50 } },
    env: {
      AWS_ENDPOINT_URL_CLOUDTRAIL: cloudTrail.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.url,
      AWS_ENDPOINT_URL_ECS: moto.url,
    },
    components: [
      {
        name: foreign.name,
        annotations: {
          [ANNOTATION_CLOUDFORMATION_STACK_NAME]: service.stackName,
          [ANNOTATION_CLOUDFORMATION_REGION]: REGION,
          [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
        },
        owner: foreign.owner,
      },
    ],
    signIn: false,
  });
  ({ cloudFormation, portal, page } = harness);
  drift = new FakeStackDrift(cloudFormation);
  drift.script(service.stackName, {
    detectionMs: 1_500,
    resources: {
      Database: {
        status: 'MODIFIED',
        differences: [
          {
            path: '/DBInstanceClass',
            expected: 'db.t4g.micro',
            actual: 'db.m6g.large',
          },
          {
            path: '/MasterUserPassword',
            expected: 'expected-password-77aa',
            actual: PLANTED_PASSWORD_DRIFT,
          },
        ],
      },
      LogGroup: { status: 'DELETED' },
    },
  });
}, 300_000);

afterEach(() => {
  expect(harness?.takePageErrors() ?? []).toEqual([]);
});

afterAll(async () => {
  await harness?.stop();
  await Promise.all([cloudTrail?.stop(), moto?.stop()]);
});

const endingOn = (screenshot: string, steps: () => Promise<void>) =>
  harness.endingOn(screenshot, steps);

const cardTitled = (title: string) =>
  page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(title, { exact: true }) });

describe('the Secrets and drift cards', () => {
  it('deploys a service through the golden path from the Create page', () =>
    endingOn('secrets-task-page', async () => {
      expect(await signInAsGuest(page)).toMatch(/guest$/);
      await createServiceOnForm(page, service);
      expect(await waitForTaskToFinish(page, 150_000)).toEqual({
        status: 'completed',
      });

      // What CloudFormation would have made in Secrets Manager and ECS, and a week of CloudTrail.
      stack = deployedStack(cloudFormation, service.stackName);
      expect(stack.secretArn).toMatch(
        /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/,
      );
      secretValue = await createInMoto(moto.url, stack, ACCOUNT);
      plantReads(cloudTrail, stack);
    }));

  it("shows the secret's rotation and readers on the entity page, the unexpected reader highlighted", () =>
    endingOn('secrets-card', async () => {
      await openCreatedComponent(page, portal, service.name);

      const card = cardTitled('Secrets');
      const secretName = stack.secretArn.split(':').pop()!;
      await card.getByRole('heading', { name: secretName }).waitFor();
      await card.getByText('Rotation on').waitFor();
      await card.getByText('Last rotated').waitFor();
      await card.getByText(/^Succeeded/).waitFor();
      const readers = card.getByRole('table', { name: 'Readers' });
      const executionRow = readers
        .getByRole('row')
        .filter({ hasText: stack.executionRoleName });
      await executionRow.getByText('Task execution role').waitFor();
      expect(await executionRow.getByRole('cell').nth(2).innerText()).toBe('3');
      const unexpectedRow = readers
        .getByRole('row')
        .filter({ hasText: `arn:aws:iam::${ACCOUNT}:user/mallory` });
      await unexpectedRow.getByText('Unexpected reader').waitFor();
      await unexpectedRow.getByText('203.0.113.9').waitFor();
      await card.getByText(/1 unexpected reader in the last 7 days/).waitFor();
      await card.scrollIntoViewIfNeeded();
      // The card reads metadata only: neither the page nor the backend's log holds the value.
      expect(await page.content()).not.toContain('moto-planted-password');
      expect(portal.logs()).not.toContain(secretValue);
    }));

  it('checks drift as the owner: what drifted, expected against actual, the password masked', () =>
    endingOn('secrets-drift-checked', async () => {
      const card = cardTitled('Stack drift');
      await card.getByText('No drift detection has run yet.').waitFor();
      await card.getByRole('button', { name: 'Check drift' }).click();
      await card
        .getByLabel('Stack drift: Drifted')
        .waitFor({ timeout: 60_000 });
      const table = card.getByRole('table', { name: 'Drifted resources' });
      const classRow = table
        .getByRole('row')
        .filter({ hasText: '/DBInstanceClass' });
      await classRow.getByText('db.t4g.micro').waitFor();
      await classRow.getByText('db.m6g.large').waitFor();
      expect(
        await table
          .getByRole('row')
          .filter({ hasText: '/MasterUserPassword' })
          .getByText('****')
          .count(),
      ).toBe(2);
      await table
        .getByRole('row')
        .filter({ hasText: 'LogGroup' })
        .getByText('The resource no longer exists.')
        .waitFor();
      expect(await page.content()).not.toContain(PLANTED_PASSWORD_DRIFT);
      expect(drift.detectionCount(service.stackName)).toBe(1);
    }));

  it('keeps drift readable but not checkable for someone who does not own the entity', () =>
    endingOn('secrets-drift-not-owner', async () => {
      await page.goto(`/catalog/default/component/${foreign.name}`);
      const card = cardTitled('Stack drift');
      await card.getByLabel('Stack drift: Drifted').waitFor();
      expect(
        await card.getByRole('button', { name: 'Check drift' }).isDisabled(),
      ).toBe(true);

      // The backend refuses too, whatever the UI shows.
      const refusal = await page.evaluate(async name => {
        const refresh = await fetch('/api/auth/guest/refresh', {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        });
        const token = (await refresh.json()).backstageIdentity.token;
        const response = await fetch(
          `/api/cloudformation/drift/by-entity/component/default/${name}/detect`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          },
        );
        return { status: response.status, body: await response.json() };
      }, foreign.name);
      expect(refusal).toEqual({
        status: 403,
        body: expect.objectContaining({
          error: expect.objectContaining({
            name: 'NotAllowedError',
            message: `Only the owners of component:default/${foreign.name} may check its stack for drift (permission cloudformation.stack.drift.detect).`,
          }),
        }),
      });
      expect(drift.detectionCount(service.stackName)).toBe(1);
    }));

  it('says what to allow when the portal role may not read CloudTrail', () =>
    endingOn('secrets-cloudtrail-denied', async () => {
      cloudTrail.deny();
      await page.goto(`/catalog/default/component/${foreign.name}`);
      const card = cardTitled('Secrets');
      // Another window: not in the cache yet.
      await card.getByRole('button', { name: 'Readers over' }).click();
      await page.getByRole('option', { name: 'the last 30 days' }).click();
      await card
        .getByText(
          "Readers unavailable: CloudTrail LookupEvents not allowed for the portal's role: add cloudtrail:LookupEvents.",
        )
        .waitFor();
      await card.getByText('Rotation on').waitFor();
    }));
});
