import { createRequire } from 'node:module';
import { Browser, Page } from 'playwright-core';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import {
  chooseOption,
  chooseTemplate,
  clickCreate,
  clickNext,
  fillField,
  goToReview,
  launchChromium,
  openPortalPage,
  PortalPage,
  readTaskLog,
  saveScreenshot,
  signInAsGuest,
  waitForTaskToFinish,
} from './support/browser';
import { QUICK_RECOVERY } from './support/crash';
import { scriptedEndpointEnv } from './support/testAccount';
import { Portal, startPortal } from './support/portal';

// The Create page's first-hour fixes of issue #15 in Chromium, against the real backend and the
// scripted CloudFormation endpoint: a deploy that fails, "Start over" continuing it (the name field
// says so), the review page's booleans in words, a task log without false links and with a change-set
// table that fits, the tasks list by service, the template's docs link and the Network page.
// Each test leaves a screenshot in test-results/screenshots/.
jest.setTimeout(180_000);

// The log viewer's own linkifier (through linkify-react), to find what it would turn into links.
const linkify = createRequire(require.resolve('@backstage/core-components'))(
  'linkifyjs',
) as { find(text: string): Array<{ value: string; href: string }> };

const templateTitle = 'AWS Fargate service with RDS';
const name = 'resume-api';
const stackName = `${name}-dev`;

let fake: FakeCloudFormation;
let portal: Portal;
let browser: Browser;
let session: PortalPage;
let page: Page;

beforeAll(async () => {
  fake = await FakeCloudFormation.start({
    accountId: '123456789012',
    region: 'us-east-1',
  });
  portal = await startPortal({
    env: scriptedEndpointEnv(fake),
    config: QUICK_RECOVERY,
  });
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
  await fake?.stop();
});

async function endingOn(screenshot: string, steps: () => Promise<void>) {
  try {
    await steps();
  } finally {
    await saveScreenshot(page, screenshot);
  }
}

/**
 * What the log viewer would link that the log did not write as a URL or an AWS host name (the stack's
 * load balancer, its database endpoint), such as `Deployer.call` or `README.md`.
 */
function falseLinks(log: string): string[] {
  // Backstage's own fetch:template names each file it writes (`Writing file README.md …`): not ours to word.
  const ours = log
    .split('\n')
    .filter(
      line =>
        !/ info: Writing (file|directory) .* to template output path/.test(
          line,
        ),
    )
    .join('\n');
  return linkify
    .find(ours)
    .map(link => link.value)
    .filter(
      value =>
        !/^https?:\/\//.test(value) && !/\.amazonaws\.com(?:\/|$)/.test(value),
    );
}

const nameHelper = () => page.locator('[id="root_name-helper-text"]');

describe('the first hour on the Create page', () => {
  let failedTaskId: string;

  it('runs the golden path into a deploy that fails at CloudFormation', () =>
    endingOn('first-hour-failed-deploy', async () => {
      fake.scenario(stackName, {
        failure: {
          logicalId: 'Database',
          reason:
            'The parameter MasterUserPassword is not a valid password (Service: Rds, Status Code: 400)',
        },
      });
      await chooseTemplate(page, templateTitle);
      await fillField(page, 'Name', name);
      await nameHelper()
        .filter({ hasText: `${name} is free` })
        .waitFor();
      await chooseOption(page, 'Owner', 'platform-team');
      await goToReview(page);
      failedTaskId = await clickCreate(page);
      const outcome = await waitForTaskToFinish(page);
      expect(outcome.status).toBe('failed');
      expect(fake.stack(stackName)?.status).toBe('ROLLBACK_COMPLETE');
      // The failure in one message, without stack frames whose `Class.method` names become links.
      const log = await readTaskLog(page);
      expect(log).not.toMatch(/^\s+at /m);
      expect(falseLinks(log)).toEqual([]);
    }));

  it('shows the unfinished service in the catalog, its stack card saying what to do', () =>
    endingOn('first-hour-unfinished-entity', async () => {
      await page.goto(`/catalog/default/component/${name}`);
      await page
        .getByRole('alert')
        .filter({
          hasText: 'The parameter MasterUserPassword is not a valid password',
        })
        .filter({ hasText: 'run the template again with the same values' })
        .waitFor();
    }));

  it('says on "Start over" that the name continues the unfinished run, then continues it', () =>
    endingOn('first-hour-continued-run', async () => {
      await page.goto(`/create/tasks/${failedTaskId}`);
      await page.getByTestId('start-over-button').click();
      await nameHelper()
        .filter({
          hasText: `An earlier run of ${name} did not finish (task ${failedTaskId}, failed): creating it continues that run instead of starting over.`,
        })
        .waitFor();
      expect(await nameHelper().innerText()).toContain(
        `Its local repository ${name} is kept and gets this run's files.`,
      );
      await saveScreenshot(page, 'first-hour-name-continues');

      // The cause is fixed; the same values run again.
      fake.scenario(stackName, {});
      await goToReview(page);
      // Booleans as words, not emoji (which need an emoji font).
      const review = page.locator('table').last();
      await review.getByText('Deploy now').waitFor();
      const reviewText = await review.innerText();
      expect(reviewText).toMatch(/Deploy now\s+Yes/);
      expect(reviewText).toMatch(/Deletion protection\s+On/);
      expect(reviewText).not.toMatch(/[\u2705\u274C\u2714\u2716]/u);
      await saveScreenshot(page, 'first-hour-review');

      await clickCreate(page);
      expect(await waitForTaskToFinish(page)).toEqual({ status: 'completed' });
      expect(fake.stack(stackName)?.status).toBe('CREATE_COMPLETE');
    }));

  it('logs nothing the log viewer would turn into a false link, and a change-set table that fits', async () => {
    const log = await readTaskLog(page);
    expect(falseLinks(log)).toEqual([]);

    const lines = log.split('\n');
    const header = lines.findIndex(line =>
      /Action\s+Replacement\s+Logical ID\s+Type/.test(line),
    );
    expect(header).toBeGreaterThanOrEqual(0);
    const table = lines.slice(header, header + 20).map(line =>
      // The downloaded log prefixes each line with its time stamp and level.
      line.replace(/^\S+\s+(?:\w+:\s)?/, ''),
    );
    const tooWide = table.filter(line => line.length > 100);
    expect({ tooWide, table }).toEqual({ tooWide: [], table });
  });

  it('lists tasks by service', () =>
    endingOn('first-hour-tasks-list', async () => {
      await page.goto('/create/tasks');
      const rows = page
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name }) });
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.first().innerText()).toContain(templateTitle);
      await saveScreenshot(page, 'first-hour-tasks-by-service');
      // A service's link opens its task page.
      await rows.last().getByRole('link', { name }).click();
      await page.waitForURL(
        url => url.pathname === `/create/tasks/${failedTaskId}`,
      );
      await page.getByTestId('start-over-button').waitFor();
    }));

  it("links the template's docs to this project's own page", () =>
    endingOn('first-hour-template-link', async () => {
      await page.goto('/create');
      const link = page.getByRole('link', {
        name: 'How the golden path works',
      });
      await link.first().waitFor();
      expect(await link.first().getAttribute('href')).toBe(
        '/docs/default/template/aws-fargate-rds-service',
      );
    }));

  it('shows the internal-LB CIDR only for an internal load balancer, and says what the add buttons add', () =>
    endingOn('first-hour-existing-vpc', async () => {
      await chooseTemplate(page, templateTitle);
      await fillField(page, 'Name', 'vpc-page-api');
      await chooseOption(page, 'Owner', 'platform-team');
      const activeStep = page.locator(
        '.MuiStepLabel-label.MuiStepLabel-active',
      );
      while ((await activeStep.innerText()) !== 'Network') {
        await clickNext(page);
        await page.waitForTimeout(300);
      }
      await chooseOption(page, 'VPC', 'An existing VPC');
      const cidr = page.locator('[id="root_loadBalancerIngressCidr"]');
      await page.getByRole('button', { name: 'Add a public subnet' }).waitFor();
      await page
        .getByRole('button', { name: 'Add a private subnet' })
        .waitFor();
      expect(await cidr.count()).toBe(0);

      // The scheme field is a native select (LoadBalancerSchemeField).
      await page
        .locator('[id="root_loadBalancerScheme"]')
        .selectOption('internal');
      await cidr.waitFor();
      await page.getByRole('button', { name: 'Add a public subnet' }).click();
      await page.locator('[id="root_publicSubnetIds_0"]').waitFor();
    }));
});
