import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Browser, Page } from 'playwright-core';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import {
  clickCreate,
  clickNext,
  clickReview,
  fillField,
  launchChromium,
  openPortalPage,
  PortalPage,
  readTaskLog,
  saveScreenshot,
  signInAsGuest,
  waitForTaskToFinish,
} from './support/browser';
import {
  GOLDEN_PATH_TEMPLATE,
  Portal,
  repoRoot,
  startPortal,
} from './support/portal';
import { entityStatus, waitForEntity } from './support/retire';
import { formDefaults, runTask } from './support/scaffolder';

// The guest (a member of platform-team) retires a service its team owns from the service's entity page, in
// Debian's Chromium against the real backend, with the stack on the scripted CloudFormation endpoint.
jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const owned = { name: 'cart-api', stackName: 'cart-api-dev' };
const foreign = { name: 'ledger-api' };

let cloudFormation: FakeCloudFormation;
let portal: Portal;
let browser: Browser;
let session: PortalPage;
let page: Page;

beforeAll(async () => {
  // The backend looks for the built app once, at startup: build it first when it is missing or stale.
  await promisify(execFile)(process.execPath, ['scripts/build-app.js'], {
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  });
  cloudFormation = await FakeCloudFormation.start({
    accountId: ACCOUNT,
    region: REGION,
  });
  // 0.1 s per resource: the delete reports progress over a few polls.
  cloudFormation.scenario(owned.stackName, { stepMs: 100 });
  portal = await startPortal({
    env: {
      AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url,
      AWS_ENDPOINT_URL_ECS: cloudFormation.url,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
    },
    config: {
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
  const defaults = await formDefaults(`templates/${GOLDEN_PATH_TEMPLATE}`);
  const created = await runTask(portal, GOLDEN_PATH_TEMPLATE, {
    ...defaults,
    name: owned.name,
    owner: 'group:default/platform-team',
  });
  expect(created.error).toBeUndefined();
  const other = await runTask(portal, GOLDEN_PATH_TEMPLATE, {
    ...defaults,
    name: foreign.name,
    owner: 'group:default/payments-team',
    deployNow: false,
  });
  expect(other.error).toBeUndefined();
  await waitForEntity(portal, `component/default/${owned.name}`);
  await waitForEntity(portal, `component/default/${foreign.name}`);

  browser = await launchChromium();
  session = await openPortalPage(browser, portal.baseUrl);
  page = session.page;
  await signInAsGuest(page);
}, 300_000);

afterEach(() => {
  expect(session?.pageErrors.splice(0) ?? []).toEqual([]);
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await portal?.stop();
  await cloudFormation?.stop();
});

async function endingOn(screenshot: string, steps: () => Promise<void>) {
  try {
    await steps();
  } finally {
    await saveScreenshot(page, screenshot);
  }
}

const retireCard = () =>
  page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Retire service', { exact: true }).first() });

describe('retiring a service from its entity page', () => {
  it("offers another team's service no way to retire it", () =>
    endingOn('retire-not-owner', async () => {
      await page.goto(`/catalog/default/component/${foreign.name}`);
      await page
        .getByText(`Only the owners of ${foreign.name} can retire it.`)
        .waitFor();
      expect(
        await retireCard()
          .getByRole('button', { name: 'Retire service' })
          .isDisabled(),
      ).toBe(true);
    }));

  it('lets an owner retire the service: the template opens with it filled in, the stack goes, the entity leaves the catalog', () =>
    endingOn('retire-task', async () => {
      await page.goto(`/catalog/default/component/${owned.name}`);
      await retireCard()
        .getByRole('button', { name: 'Retire service' })
        .click();
      await page.waitForURL(
        url =>
          url.pathname ===
          '/create/templates/default/retire-aws-fargate-service',
      );
      await page
        .getByRole('heading', { name: 'Retire an AWS Fargate service' })
        .waitFor();
      // The entity picker holds the service the button was on.
      await page.locator('input[value*="cart-api"]').waitFor();
      await saveScreenshot(page, 'retire-form');
      await clickNext(page);
      await page
        .getByText(
          'CloudFormation takes a final snapshot of the database first',
        )
        .waitFor();
      await fillField(page, "Type the service's name to confirm", owned.name);
      await clickReview(page);
      await page
        .locator('table')
        .getByRole('cell', { name: owned.name, exact: true })
        .waitFor();
      await clickCreate(page);

      expect(await waitForTaskToFinish(page)).toEqual({ status: 'completed' });
      const log = await readTaskLog(page);
      expect(log).toMatch(
        new RegExp(
          `Deleting stack ${owned.stackName} affects \\d+ resource\\(s\\):`,
        ),
      );
      expect(log).toMatch(
        /snapshot +Database \(AWS::RDS::DBInstance, [^;]+; DeletionPolicy: Snapshot\)/,
      );
      expect(log).toMatch(/Progress: \d+ of \d+ resources complete/);
      expect(log).toContain(
        `DELETE_COMPLETE ${owned.stackName} (AWS::CloudFormation::Stack)`,
      );
      expect(log).toContain(`Removing from the catalog: `);
      expect(cloudFormation.stack(owned.stackName)!.status).toBe(
        'DELETE_COMPLETE',
      );
      expect(
        await entityStatus(portal, `component/default/${owned.name}`),
      ).toBe(404);
    }));

  it('shows the retired service no more', () =>
    endingOn('retire-gone', async () => {
      await page.goto(`/catalog/default/component/${owned.name}`);
      await page
        .getByText(/not found|no entity/i)
        .first()
        .waitFor();
      await page.goto('/catalog');
      await page.getByText(/^(All|Owned) Components \(\d+\)$/i).waitFor();
      expect(
        await page.getByRole('link', { name: owned.name, exact: true }).count(),
      ).toBe(0);
    }));
});
