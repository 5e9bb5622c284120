import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
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
import {
  chooseOption,
  chooseTemplate,
  clickCreate,
  fillField,
  goToReview,
  launchChromium,
  openPortalPage,
  PortalPage,
  saveScreenshot,
  signInAsGuest,
  waitForTaskToFinish,
} from './support/browser';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  repoRoot,
  startPortal,
  waitFor,
} from './support/portal';
import {
  createInMoto,
  deployedStack,
  DeployedStack,
  plantReads,
} from './support/secretsWorld';

// The Secrets and drift cards in Chromium over the real backend and the real AWS SDK: moto answers
// Secrets Manager and ECS, the project's scripted endpoints CloudFormation (with drift) and CloudTrail
// — each reached through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variable. The golden path runs from
// the Create page to the entity page; screenshots land in test-results/screenshots/secrets-*.png.
jest.setTimeout(180_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const service = {
  name: 'wallet-api',
  owner: 'platform-team',
  stackName: 'wallet-api-dev',
};
// Names the same stack but belongs to another team: the guest may read it, not check its drift.
const foreign = { name: 'wallet-mirror', owner: 'group:default/other-team' };
const PLANTED_PASSWORD_DRIFT = 'drifted-password-5b1e';

let fixtureDir: string;
let moto: MotoServer;
let cloudFormation: FakeCloudFormation;
let drift: FakeStackDrift;
let cloudTrail: FakeCloudTrail;
let portal: Portal;
let browser: Browser;
let session: PortalPage;
let page: Page;
let templateTitle: string;
let stack: DeployedStack;
let secretValue: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build-app.js'], {
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  });
  templateTitle = parse(
    await readFile(
      path.join(repoRoot, 'templates', GOLDEN_PATH_TEMPLATE, 'template.yaml'),
      'utf8',
    ),
  ).metadata.title;
  fixtureDir = await mkdtemp(path.join(tmpdir(), 'secrets-card-'));
  const entitiesFile = path.join(fixtureDir, 'entities.yaml');
  await writeFile(
    entitiesFile,
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: foreign.name,
        annotations: {
          [ANNOTATION_CLOUDFORMATION_STACK_NAME]: service.stackName,
          [ANNOTATION_CLOUDFORMATION_REGION]: REGION,
          [ANNOTATION_AWS_ACCOUNT_ID]: ACCOUNT,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: foreign.owner,
      },
    }),
  );
  const appConfig = parse(
    await readFile(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );

  [moto, cloudFormation, cloudTrail] = await Promise.all([
    startMotoServer(),
    FakeCloudFormation.start({ accountId: ACCOUNT, region: REGION }),
    FakeCloudTrail.start({ accountId: ACCOUNT }),
  ]);
  drift = new FakeStackDrift(cloudFormation);
  cloudFormation.scenario(service.stackName, { stepMs: 50 });
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
  portal = await startPortal({
    env: {
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_ENDPOINT_URL_CLOUDTRAIL: cloudTrail.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.url,
      AWS_ENDPOINT_URL_ECS: moto.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
    },
    config: {
      catalog: {
        locations: [
          ...appConfig.catalog.locations,
          { type: 'file', target: entitiesFile },
        ],
      },
      aws: {
        accounts: [
          {
            accountId: ACCOUNT,
            accessKeyId: 'testing',
            secretAccessKey: 'testing',
          },
        ],
        cloudformation: {
          allowedAccountIds: [ACCOUNT],
          allowedRegions: [REGION],
        },
      },
    },
  });
  browser = await launchChromium();
  session = await openPortalPage(browser, portal.baseUrl);
  page = session.page;
}, 300_000);

afterEach(() => {
  expect(session?.pageErrors.splice(0) ?? []).toEqual([]);
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await portal?.stop();
  await Promise.all([cloudFormation?.stop(), cloudTrail?.stop(), moto?.stop()]);
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

async function endingOn(screenshot: string, steps: () => Promise<void>) {
  try {
    await steps();
  } finally {
    await saveScreenshot(page, screenshot);
  }
}

const cardTitled = (title: string) =>
  page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText(title, { exact: true }) });

describe('the Secrets and drift cards', () => {
  it('deploys a service through the golden path from the Create page', () =>
    endingOn('secrets-task-page', async () => {
      expect(await signInAsGuest(page)).toMatch(/guest$/);
      await chooseTemplate(page, templateTitle);
      await fillField(page, 'Name', service.name);
      await chooseOption(page, 'Owner', service.owner);
      await goToReview(page);
      await clickCreate(page);
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
      await waitFor(
        async () =>
          (
            await portal.api(
              `/api/catalog/entities/by-name/component/default/${service.name}`,
            )
          ).ok,
        60_000,
      );
      await page.getByRole('link', { name: 'Open in catalog' }).click();
      await page.waitForURL(
        url => url.pathname === `/catalog/default/component/${service.name}`,
      );

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
