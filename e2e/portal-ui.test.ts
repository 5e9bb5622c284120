import path from 'node:path';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { FakeCloudFormation } from '@golden-path/plugin-cloudformation-node/testUtils';
import { Page } from 'playwright-core';
import {
  clickCreate,
  goToReview,
  openTemplateInEditor,
  provideTemplateDirectory,
  readTaskLog,
  runDryRunInEditor,
  saveScreenshot,
  signInAsGuest,
  waitForTaskToFinish,
} from './support/browser';
import { BrowserPortal, startBrowserPortal } from './support/browserPortal';
import { GOLDEN_PATH_TEMPLATE, Portal, repoRoot } from './support/portal';
import { readTemplateDirectory } from './support/scaffolder';
import {
  fillServiceStep,
  openCreatedComponent,
  waitForComponent,
  walkServiceFormToReview,
} from './support/serviceForm';
import { ACCOUNT, REGION, TestComponent } from './support/testAccount';

// The portal's UI in Debian's Chromium against the real backend serving the built app. The tests run in
// order on one signed-in page, like a person clicking through: sign-in first, then Create, the template's
// form, a full run deploying to the scripted CloudFormation endpoint and its entity page, other entity
// pages and the template editor. Every test leaves a screenshot in test-results/screenshots/.
jest.setTimeout(120_000);

const templateDirectory = path.join(
  repoRoot,
  'templates',
  GOLDEN_PATH_TEMPLATE,
);
const service = { name: 'orders-api', owner: 'platform-team' };
// The full run creates this service; the golden path names its stack `<name>-<environment>`.
const deployed = {
  name: 'payments-api',
  description: 'Takes card payments',
  stackName: 'payments-api-dev',
};
// Catalog entities for the entity page: one naming a stack in a region the portal may not read
// (so the card answers without calling AWS), one naming none.
const stackName = 'billing-api-dev';
const entities: TestComponent[] = [
  {
    name: 'billing-api',
    annotations: {
      [ANNOTATION_CLOUDFORMATION_STACK_NAME]: stackName,
      [ANNOTATION_CLOUDFORMATION_REGION]: 'eu-west-3',
      [ANNOTATION_AWS_ACCOUNT_ID]: '123456789012',
    },
  },
  { name: 'ledger-api', annotations: {} },
];

let harness: BrowserPortal;
let cloudFormation: FakeCloudFormation;
let portal: Portal;
let page: Page;
let templateTitle: string;

beforeAll(async () => {
  // The project's scripted CloudFormation endpoint rather than moto: it reports every resource's
  // progress and gives stacks created from change sets their outputs, which the card shows.
  harness = await startBrowserPortal({
    // A second to compute the change set and 0.3 s per resource: the deploy (about 15 s) reports
    // progress over several polls.
    scriptedStacks: {
      [deployed.stackName]: { changeSetDelayMs: 1_000, stepMs: 300 },
    },
    components: entities,
    signIn: false,
  });
  ({ cloudFormation, portal, page, templateTitle } = harness);
}, 300_000);

afterEach(() => {
  // Taken per test, so one test's error does not fail the next.
  expect(harness?.takePageErrors() ?? []).toEqual([]);
});

afterAll(() => harness?.stop());

const endingOn = (screenshot: string, steps: () => Promise<void>) =>
  harness.endingOn(screenshot, steps);

/** How many resources the deploy's change set created: the template CloudFormation received has them. */
function deployedResourceCount(): number {
  const [changeSet] = cloudFormation.callsFor(
    deployed.stackName,
    'CreateChangeSet',
  );
  if (!changeSet)
    throw new Error(
      `Nothing asked CloudFormation to create stack ${deployed.stackName}`,
    );
  const template = parseTemplate(String(changeSet.params.TemplateBody)) as {
    Resources: Record<string, unknown>;
  };
  return Object.keys(template.Resources).length;
}

describe('the portal UI', () => {
  it('signs a guest in through the auth backend and lands on the catalog', () =>
    endingOn('catalog', async () => {
      await page.goto('/');
      await page.getByText('AWS Golden Path Portal').first().waitFor();
      await saveScreenshot(page, 'sign-in');

      expect(await signInAsGuest(page)).toMatch(/^user:[^/]+\/guest$/);

      // `/` has no page of its own in the new frontend system: it leads to the catalog.
      await page.goto('/');
      await page.waitForURL(url => url.pathname === '/catalog');
      // The table's title gets its count once the entities have loaded. The list starts on the guest's
      // own components when the catalog already knows the guest's team, on all of them otherwise.
      await page.getByText(/^(All|Owned) Components \(\d+\)$/i).waitFor();
    }));

  it('lists the golden-path template on the Create page', () =>
    endingOn('create-page', async () => {
      await page.goto('/create');
      await page
        .getByRole('heading', { name: templateTitle, exact: true })
        .waitFor();
    }));

  it("opens the template's form from its card and walks it to the review", () =>
    endingOn('template-review', async () => {
      await walkServiceFormToReview(page, service, {
        filled: 'template-form',
      });

      const review = page.locator('table');
      await review
        .getByRole('cell', { name: service.name, exact: true })
        .waitFor();
      await review
        .getByRole('cell', {
          name: `group:default/${service.owner}`,
          exact: true,
        })
        .waitFor();
    }));

  it(
    'creates a service from the form and shows the deploy in the task log: change set, resource events, progress',
    () =>
      endingOn('task-page', async () => {
        // Every other page keeps its defaults, the Deployment page's account and region among them.
        await walkServiceFormToReview(page, {
          ...deployed,
          owner: service.owner,
        });
        await clickCreate(page);

        // The log streams while CloudFormation works.
        await page.getByRole('button', { name: 'Show Logs' }).click();
        await page
          .getByText(/Progress: \d+ of \d+ resources complete/)
          .first()
          .waitFor({ timeout: 90_000 })
          .catch(() => {
            throw new Error(
              `No CloudFormation progress line appeared in the task log. Backend log:\n${portal.logs().slice(-4_000)}`,
            );
          });
        await saveScreenshot(page, 'task-page-deploying');
        expect(await waitForTaskToFinish(page)).toEqual({
          status: 'completed',
        });
        const log = await readTaskLog(page);

        const resourceCount = deployedResourceCount();
        // The change set as a table, with the blueprint's descriptions.
        expect(log).toMatch(
          /Action\s+Replacement\s+Logical ID\s+Type\s+Description/,
        );
        expect(log).toMatch(
          /add\s+-\s+LoadBalancer\s+AWS::ElasticLoadBalancingV2::LoadBalancer\s+Application load balancer/,
        );
        // Every resource's events, as CloudFormation reported them.
        expect(log).toMatch(
          /CREATE_IN_PROGRESS Database \(AWS::RDS::DBInstance, "[^"]+"\): Resource creation Initiated/,
        );
        expect(log).toMatch(
          /CREATE_COMPLETE Service \(AWS::ECS::Service, "[^"]+"\)/,
        );
        expect(log).toContain(
          `CREATE_COMPLETE ${deployed.stackName} (AWS::CloudFormation::Stack)`,
        );
        // Progress counts up to every resource of the change set.
        const progress = [
          ...log.matchAll(/Progress: (\d+) of (\d+) resources complete/g),
        ].map(match => [Number(match[1]), Number(match[2])]);
        expect(progress.length).toBeGreaterThan(1);
        expect(progress.every(([, total]) => total === resourceCount)).toBe(
          true,
        );
        expect(progress.map(([done]) => done)).toEqual(
          [...progress.map(([done]) => done)].sort((a, b) => a - b),
        );
        expect(progress[progress.length - 1][0]).toBe(resourceCount);
        expect(log).toContain(
          `Stack ${deployed.stackName} is CREATE_COMPLETE.`,
        );

        // The template's output links: the stack's service URL and the new entity.
        const { ServiceUrl: serviceUrl } = cloudFormation.stack(
          deployed.stackName,
        )!.outputs;
        expect(
          await page
            .getByRole('link', { name: 'Service URL' })
            .getAttribute('href'),
        ).toBe(serviceUrl);
        expect(
          await page
            .getByRole('link', { name: 'Open in catalog' })
            .getAttribute('href'),
        ).toBe(`/catalog/default/component/${deployed.name}`);
      }),
    240_000,
  );

  it("follows the task's catalog link to the entity page, whose card shows the stack's status and outputs", () =>
    endingOn('entity-page-deployed-stack-resources', async () => {
      await openCreatedComponent(page, portal, deployed.name);

      const card = page.locator('.MuiCard-root').filter({
        has: page.getByText('CloudFormation stack', { exact: true }),
      });
      await card.getByText('Create complete', { exact: true }).waitFor();
      await card.getByText(`${REGION} · account ${ACCOUNT}`).waitFor();
      const stack = cloudFormation.stack(deployed.stackName)!;
      await card
        .getByRole('tab', {
          name: `Outputs (${Object.keys(stack.outputs).length})`,
        })
        .waitFor();
      const outputs = card.getByRole('table', { name: 'Outputs' });
      for (const [key, value] of Object.entries(stack.outputs)) {
        await outputs
          .getByRole('row')
          .filter({ hasText: key })
          .getByText(value)
          .waitFor();
      }
      // The service URL is a link to the service (external, so its name also says it opens a new window).
      expect(stack.outputs.ServiceUrl).toMatch(
        /^http:\/\/[a-z0-9-]+\.us-east-1\.elb\.amazonaws\.com$/,
      );
      const serviceLink = outputs.getByRole('link', {
        name: stack.outputs.ServiceUrl,
      });
      expect(await serviceLink.getAttribute('href')).toBe(
        stack.outputs.ServiceUrl,
      );
      await saveScreenshot(page, 'entity-page-deployed-stack');

      // Its resources, described by the template the stack was created from.
      const resourceCount = deployedResourceCount();
      await card
        .getByRole('tab', { name: `Resources (${resourceCount})` })
        .click();
      const resources = card.getByRole('table', { name: 'Resources' });
      await resources
        .getByRole('row')
        .filter({ hasText: 'Application load balancer (internet-facing)' })
        .filter({
          hasText: 'LoadBalancer · AWS::ElasticLoadBalancingV2::LoadBalancer',
        })
        .waitFor();
      const rows = resources.locator('tbody tr');
      expect(await rows.count()).toBe(resourceCount);
      expect(await rows.filter({ hasText: 'Create complete' }).count()).toBe(
        resourceCount,
      );
      // Read from CloudFormation the way the card's backend documents it.
      for (const action of [
        'DescribeStacks',
        'ListStackResources',
        'DescribeStackEvents',
        'GetTemplate',
      ]) {
        expect(
          cloudFormation.callsFor(deployed.stackName, action).length,
        ).toBeGreaterThan(0);
      }
    }));

  it('shows the CloudFormation card on the entity pages of entities that name a stack, and only there', () =>
    endingOn('entity-page-without-stack', async () => {
      for (const { name } of entities) await waitForComponent(portal, name);
      const cardTitle = page.getByText('CloudFormation stack', { exact: true });

      await page.goto('/catalog/default/component/billing-api');
      await cardTitle.waitFor();
      await page.getByText(stackName, { exact: true }).waitFor();
      // A stack the portal may not read gets an empty state saying what to configure, not an error
      // (in the stack card: the Secrets and drift cards beside it say the same).
      await page
        .locator('.MuiCard-root')
        .filter({ has: cardTitle })
        .getByText(
          'Region eu-west-3 is not in aws.cloudformation.allowedRegions',
        )
        .waitFor();
      await saveScreenshot(page, 'entity-page-with-stack');

      await page.goto('/catalog/default/component/ledger-api');
      await page.getByText('About', { exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await cardTitle.count()).toBe(0);
    }));

  it('dry-runs the template folder in the template editor', () =>
    endingOn('template-editor-dry-run', async () => {
      // The editor loads a folder from disk (File System Access API); this is the template's folder.
      await provideTemplateDirectory(
        page,
        await readTemplateDirectory(templateDirectory),
      );
      await openTemplateInEditor(page);
      await page.getByText(`title: ${templateTitle}`).waitFor();
      await saveScreenshot(page, 'template-editor');

      await fillServiceStep(page, service);
      await goToReview(page);
      const { result, error } = await runDryRunInEditor(page);

      expect(error).toBeUndefined();
      expect(
        result!.log
          .filter(entry => entry.body.status === 'failed')
          .map(entry => entry.body.message),
      ).toEqual([]);
      await page.getByRole('tab', { name: 'Log' }).click();
      for (const step of result!.steps) {
        await page.getByText(step.name, { exact: true }).first().waitFor();
      }
    }));
});
