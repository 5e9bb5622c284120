import {
  CloudFormationClient,
  CreateStackCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { Locator, Page } from 'playwright-core';
import {
  chooseOption,
  chooseTemplate,
  clickNext,
  clickReview,
  fillField,
  readTaskLog,
  saveScreenshot,
  signInAsGuest,
  waitForTaskToFinish,
} from './support/browser';
import { BrowserPortal, startBrowserPortal } from './support/browserPortal';
import { Moto } from './support/moto';
import { Portal, waitFor } from './support/portal';
import {
  createServiceOnForm,
  openCreatedComponent,
  openServiceForm,
} from './support/serviceForm';

// The README's "Try a real deploy locally (moto)" section, as a new user walks it: moto_server, the
// portal started with only the SDK's endpoint and credential variables and the local app-config
// (no test-only AWS settings), the Create page, the task, and the new service's entity page. moto
// deploys only part of what AWS would, so the card must show what it has and say what it lacks.
jest.setTimeout(120_000);

const service = {
  name: 'moto-walk-api',
  description: 'Walks the README moto path',
  owner: 'platform-team',
};
const stackName = `${service.name}-dev`;
const screenshot = (name: string) => `moto-path-${name}`;

let harness: BrowserPortal;
let moto: Moto;
let portal: Portal;
let page: Page;

beforeAll(async () => {
  // Exactly the README's environment: AWS_ENDPOINT_URL and moto's credentials, nothing in the config.
  harness = await startBrowserPortal({ moto: true, signIn: false });
  ({ moto, portal, page } = harness);
}, 300_000);

afterEach(() => {
  expect(harness?.takePageErrors() ?? []).toEqual([]);
});

afterAll(() => harness?.stop());

const endingOn = (name: string, steps: () => Promise<void>) =>
  harness.endingOn(screenshot(name), steps);

function stackCard(): Locator {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('CloudFormation stack', { exact: true }) });
}

describe("the README's moto path in the browser", () => {
  it(
    'creates a service from the Create page and deploys it to moto',
    () =>
      endingOn('task-page', async () => {
        await signInAsGuest(page);
        await createServiceOnForm(page, service, {
          filled: screenshot('form'),
          review: screenshot('review'),
        });

        const outcome = await waitForTaskToFinish(page, 240_000);
        const log = await readTaskLog(page);
        expect({
          outcome,
          log: outcome.status === 'completed' ? '' : log,
        }).toEqual({ outcome: { status: 'completed' }, log: '' });
        expect(log).toContain(`Stack ${stackName} is CREATE_COMPLETE.`);
        // moto reports no outputs: the task says so rather than showing an empty table.
        await page
          .getByText(
            'CloudFormation reported no outputs for the stack, so there is no Service URL link yet',
          )
          .waitFor();
        await page
          .getByRole('button', { name: 'Clone the repository' })
          .click();
        await page
          .getByText(
            `git clone file://${portal.dataDir}/repositories/${service.name}`,
          )
          .waitFor();
      }),
    300_000,
  );

  it("opens the task's Repository link on a page of the repository, with its files and clone command", () =>
    endingOn('repository-page', async () => {
      const taskUrl = page.url();
      const repositoryHref = await page
        .getByRole('link', { name: 'Repository' })
        .getAttribute('href');
      expect(repositoryHref).toBe(
        `${portal.baseUrl}/api/local-git/repos/${service.name}/tree/main/`,
      );
      await page.goto(repositoryHref!);
      await page
        .getByRole('heading', { name: `${service.name} (main)` })
        .waitFor();
      await page
        .getByText(
          `git clone file://${portal.dataDir}/repositories/${service.name}`,
        )
        .first()
        .waitFor();
      await saveScreenshot(page, screenshot('repository-listing'));
      // The generated package is named after the service, read through the page's own link.
      await page
        .getByRole('link', { name: 'package.json', exact: true })
        .click();
      expect(JSON.parse(await page.locator('body').innerText()).name).toBe(
        service.name,
      );
      await page.goto(taskUrl);
    }));

  it("shows the stack's status on the entity page, what moto reports, and a note in words for what it does not", () =>
    endingOn('entity-page', async () => {
      await openCreatedComponent(page, portal, service.name);

      const card = stackCard();
      await card.getByText('Create complete', { exact: true }).waitFor();
      await card.getByText('us-east-1 · account 123456789012').waitFor();
      // The card leads the Overview: above the relation cards a service owner reads later.
      const cardTop = (await card.boundingBox())!.y;
      const relationsTop = (await page
        .getByText('Depends on resources', { exact: true })
        .boundingBox())!.y;
      expect(cardTop).toBeLessThan(relationsTop);
      // Never the SDK's parser message, never a whole-card error for one call that failed.
      expect(await card.innerText()).not.toMatch(
        /XML parse|Deserialization|\$response|Could not read the stack/,
      );

      // moto gives stacks made from change sets no outputs: the card says so instead of an empty table.
      await card.getByRole('tab', { name: 'Outputs (0)' }).waitFor();
      await card
        .getByText(/^CloudFormation reports no outputs for this stack: .*moto/)
        .waitFor();

      // The resources: listed when moto answers ListStackResources, a one-sentence note when it does not.
      await card.getByRole('tab', { name: /^Resources/ }).click();
      const resources = card.getByRole('table', { name: 'Resources' });
      const note = card.getByRole('note', {
        name: 'Could not read the resources',
      });
      await resources.or(note).waitFor();
      if (await note.isVisible()) {
        expect(await note.innerText()).toMatch(
          new RegExp(
            `ListStackResources for stack ${stackName} answered HTTP 5\\d\\d with [^:]+: check that the CloudFormation endpoint`,
          ),
        );
      } else {
        expect(await resources.locator('tbody tr').count()).toBeGreaterThan(0);
      }
      await saveScreenshot(page, screenshot('entity-page-resources'));

      // The Secrets card reads the stack's resources too: what moto lacks is one sentence there as well.
      const secrets = page.locator('.MuiCard-root').filter({
        has: page.getByText('Rotation, running tasks and readers (CloudTrail)'),
      });
      await waitFor(
        async () =>
          /ListStackResources for stack .* answered HTTP 5\d\d|rds!db-/.test(
            await secrets.innerText(),
          ),
        60_000,
      );
      expect(await secrets.innerText()).not.toMatch(
        /XML parse|Deserialization|\$response/,
      );

      // "View source" and the edit button of the About card open the repository's page.
      const viewSource = page.getByRole('link', { name: /view source/i });
      const sourceHref = await viewSource.getAttribute('href');
      expect(sourceHref).toBe(
        `${portal.baseUrl}/api/local-git/repos/${service.name}/tree/main/`,
      );
      const editHref = await page
        .locator('a[title="Edit Metadata"], a[aria-label="Edit Metadata"]')
        .first()
        .getAttribute('href');
      expect(editHref).toBe(`${sourceHref}#edit`);
      for (const href of [sourceHref!, editHref!]) {
        const response = await fetch(href);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain(
          '<h2 id="edit">How to change it</h2>',
        );
      }

      await card.getByRole('tab', { name: 'Events' }).click();
      await card
        .getByRole('table', { name: 'Events' })
        .getByRole('row')
        .filter({ hasText: stackName })
        .filter({ hasText: 'Create complete' })
        .first()
        .waitFor();
    }));
});

/** The label of the form's active step. */
const activeStep = () =>
  page.locator('.MuiStepLabel-label.MuiStepLabel-active');

/** Clicks Next until the form shows this step. */
async function nextUntil(step: string) {
  for (
    let attempts = 0;
    (await activeStep().innerText()) !== step;
    attempts++
  ) {
    if (attempts > 10)
      throw new Error(`The form never reached its "${step}" step`);
    const before = await activeStep().innerText();
    await clickNext(page);
    await activeStep().filter({ hasNotText: before }).waitFor();
  }
}

/** The helper or error text under the field with this id. */
const helperOf = (fieldId: string) =>
  page.locator(`[id="${fieldId}-helper-text"]`);

describe('form-time checks, on the page where each problem arises', () => {
  it('says as the name is typed that the service just created took it, in the catalog and as a repository', () =>
    endingOn('form-name-taken', async () => {
      await chooseTemplate(page, harness.templateTitle);
      await fillField(page, 'Name', service.name);
      const helper = helperOf('root_name');
      await helper
        .filter({
          hasText: `The catalog already has a component named ${service.name}. Choose another name.`,
        })
        .waitFor();
      expect(await helper.innerText()).toContain(
        `A local repository named ${service.name} already exists. Choose another name.`,
      );

      // Next keeps the developer on the page, with the same words.
      await chooseOption(page, 'Owner', service.owner);
      await clickNext(page);
      await page.waitForTimeout(1_000);
      expect(await activeStep().innerText()).toBe('Service');
    }));

  it('states the naming rule in words, never as a regular expression', () =>
    endingOn('form-name-rule', async () => {
      await fillField(page, 'Name', 'Orders--API');
      const helper = helperOf('root_name');
      await helper
        .filter({
          hasText:
            'The name Orders--API is not allowed: use 2 to 28 characters',
        })
        .waitFor();
      await clickNext(page);
      const errors = await page.locator('form').innerText();
      expect(errors).not.toMatch(/\^\[a-z\]|must match pattern/);
      expect(await activeStep().innerText()).toBe('Service');
    }));

  it('says on the Container page that the most tasks is below the fewest', () =>
    endingOn('form-capacity', async () => {
      await fillField(page, 'Name', 'capacity-api');
      await helperOf('root_name')
        .filter({ hasText: 'capacity-api is free' })
        .waitFor();
      await nextUntil('Container');
      await fillField(page, 'Fewest tasks (autoscaling)', '6');
      await fillField(page, 'Most tasks (autoscaling)', '3');
      const message =
        'The most tasks (3) is below the fewest tasks (6): raise the most or lower the fewest.';
      await helperOf('root_maxCapacity').filter({ hasText: message }).waitFor();
      await clickNext(page);
      await page.waitForTimeout(1_000);
      expect(await activeStep().innerText()).toBe('Container');

      await fillField(page, 'Most tasks (autoscaling)', '8');
      await fillField(page, 'Tasks at start', '2');
      await helperOf('root_maxCapacity')
        .filter({
          hasText:
            'The tasks at start (2) must lie between the fewest (6) and the most (8) tasks.',
        })
        .waitFor();
      await fillField(page, 'Tasks at start', '6');
      await helperOf('root_maxCapacity')
        .filter({ hasText: /tasks/ })
        .waitFor({ state: 'detached' });
      await nextUntil('Database');
    }));

  it('refuses on the Deployment page a stack of the same name already in the chosen account and region', () =>
    endingOn('form-stack-taken', async () => {
      // A stack left behind without a repository or entity, as a half-finished run would leave it.
      const orphan = 'orphan-api';
      const client = new CloudFormationClient({
        endpoint: moto.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await client.send(
        new CreateStackCommand({
          StackName: `${orphan}-dev`,
          TemplateBody: JSON.stringify({
            AWSTemplateFormatVersion: '2010-09-09',
            Resources: { Queue: { Type: 'AWS::SQS::Queue' } },
          }),
        }),
      );
      await waitUntilStackCreateComplete(
        { client, maxWaitTime: 60 },
        { StackName: `${orphan}-dev` },
      );

      await openServiceForm(page, { name: orphan, owner: service.owner });
      // The Service page does not know the account and region yet, and says where the stack is checked.
      await helperOf('root_name')
        .filter({
          hasText: `${orphan} is free: no catalog component or local repository uses it. Its stack is checked on the Deployment page.`,
        })
        .waitFor();
      await nextUntil('Deployment');
      await clickReview(page);
      await page
        .locator('[id="root_deployTarget__error"]')
        .filter({
          hasText: `Stack ${orphan}-dev already exists in us-east-1 of account 123456789012 (CREATE_COMPLETE). Choose another name.`,
        })
        .waitFor();
      expect(await activeStep().innerText()).toBe('Deployment');
    }));

  it('says on the Network page that an internet-facing load balancer in an existing VPC needs public subnets', () =>
    endingOn('form-public-subnets', async () => {
      await openServiceForm(page, { name: 'subnet-api', owner: service.owner });
      await nextUntil('Network');
      await chooseOption(page, 'VPC', 'An existing VPC');
      const message =
        'An internet-facing load balancer needs public subnets in at least 2 Availability Zones of the existing VPC (0 given): ' +
        'add them under "Public subnet ids", or choose an internal load balancer.';
      await helperOf('root_loadBalancerScheme')
        .filter({ hasText: message })
        .waitFor();
      // The VPC picker lists moto's VPCs in the deploy target's account and region (moto has a default VPC).
      await helperOf('root_vpcId')
        .filter({
          hasText:
            /^\d+ VPCs? in us-east-1 of account 123456789012: pick one or type its id\.$/,
        })
        .waitFor();
      const vpcIds = await page
        .locator('[id="root_vpcId-choices"] option')
        .evaluateAll(options =>
          options.map(option => (option as HTMLOptionElement).value),
        );
      expect(vpcIds.length).toBeGreaterThan(0);
      await fillField(page, 'VPC id', vpcIds[0]);
      await helperOf('root_vpcId')
        .filter({ hasText: `${vpcIds[0]}: ` })
        .waitFor();
      // Each subnet field is labelled in words, not `privateSubnetIds-0`, and suggests the VPC's subnets.
      expect(
        await page.locator('label[for="root_privateSubnetIds_0"]').innerText(),
      ).toMatch(/^Private subnet id/);
      const subnetIds = await page
        .locator('[id="root_privateSubnetIds_0-choices"] option')
        .evaluateAll(options =>
          options.map(option => (option as HTMLOptionElement).value),
        );
      expect(subnetIds.length).toBeGreaterThan(1);
      const privateSubnets = page.locator(
        'input[id^="root_privateSubnetIds_"]',
      );
      await privateSubnets.nth(0).fill(subnetIds[0]);
      await privateSubnets.nth(1).fill(subnetIds[1]);
      // The picked subnet is described from the listing: its zone, range and whether it is public.
      await helperOf('root_privateSubnetIds_0')
        .filter({ hasText: /^us-east-1[a-z] · [\d./]+ · (public|private)/ })
        .waitFor();
      // A subnet of another VPC (or a typo) is named as such.
      await privateSubnets.nth(1).fill('subnet-0000000f');
      await helperOf('root_privateSubnetIds_1')
        .filter({
          hasText: `subnet-0000000f is not a subnet of ${vpcIds[0]} in us-east-1 of account 123456789012.`,
        })
        .waitFor();
      await privateSubnets.nth(1).fill(subnetIds[1]);
      await saveScreenshot(page, screenshot('form-network-pickers'));
      // Everything else on the page is valid, so Next reaches the load balancer field's own validation.
      await clickNext(page);
      await page
        .locator('[id="root_loadBalancerScheme__error"]')
        .filter({ hasText: message })
        .waitFor();
      expect(await activeStep().innerText()).toBe('Network');

      // An internal load balancer needs no public subnets.
      await page
        .locator('[id="root_loadBalancerScheme"]')
        .selectOption('internal');
      await helperOf('root_loadBalancerScheme')
        .filter({ hasText: message })
        .waitFor({ state: 'detached' });
    }));
});
