import { Page } from 'playwright-core';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import {
  clickCreate,
  clickNext,
  clickReview,
  fillField,
  readTaskLog,
  saveScreenshot,
  waitForTaskToFinish,
} from './support/browser';
import { BrowserPortal, startBrowserPortal } from './support/browserPortal';
import { GOLDEN_PATH_TEMPLATE, Portal } from './support/portal';
import { entityStatus, waitForEntity } from './support/retire';
import { formDefaults, runTask } from './support/scaffolder';

// The guest (a member of platform-team) retires a service its team owns from the service's entity page, in
// Debian's Chromium against the real backend, with the stack on the scripted CloudFormation endpoint.
jest.setTimeout(120_000);

const owned = { name: 'cart-api', stackName: 'cart-api-dev' };
const foreign = { name: 'ledger-api' };

let harness: BrowserPortal;
let cloudFormation: FakeCloudFormation;
let portal: Portal;
let page: Page;

beforeAll(async () => {
  // 0.1 s per resource: the delete reports progress over a few polls.
  harness = await startBrowserPortal({
    scriptedStacks: { [owned.stackName]: { stepMs: 100 } },
  });
  ({ cloudFormation, portal, page } = harness);
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
}, 300_000);

afterEach(() => {
  expect(harness?.takePageErrors() ?? []).toEqual([]);
});

afterAll(() => harness?.stop());

const endingOn = (screenshot: string, steps: () => Promise<void>) =>
  harness.endingOn(screenshot, steps);

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
