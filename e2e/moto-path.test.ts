import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Browser, Locator, Page } from 'playwright-core';
import { parse } from 'yaml';
import {
  chooseOption,
  chooseTemplate,
  clickCreate,
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
import { Moto, startMoto } from './support/moto';
import { GOLDEN_PATH_TEMPLATE, Portal, repoRoot, startPortal, waitFor } from './support/portal';

// The README's "Try a real deploy locally (moto)" section, as a new user walks it: moto_server, the
// portal started with only the SDK's endpoint and credential variables and the local app-config
// (no test-only AWS settings), the Create page, the task, and the new service's entity page. moto
// deploys only part of what AWS would, so the card must show what it has and say what it lacks.
jest.setTimeout(120_000);

const service = { name: 'moto-walk-api', description: 'Walks the README moto path', owner: 'platform-team' };
const stackName = `${service.name}-dev`;
const screenshot = (name: string) => `moto-path-${name}`;

let moto: Moto;
let portal: Portal;
let browser: Browser;
let session: PortalPage;
let page: Page;
let templateTitle: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build-app.js'], { cwd: repoRoot, maxBuffer: 64 << 20 });
  const template = await readFile(path.join(repoRoot, 'templates', GOLDEN_PATH_TEMPLATE, 'template.yaml'), 'utf8');
  templateTitle = parse(template).metadata.title;
  moto = await startMoto();
  // Exactly the README's environment: AWS_ENDPOINT_URL and moto's credentials, nothing in the config.
  portal = await startPortal({ env: moto.env });
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
  await moto?.stop();
});

async function endingOn(name: string, steps: () => Promise<void>) {
  try {
    await steps();
  } finally {
    await saveScreenshot(page, screenshot(name));
  }
}

function stackCard(): Locator {
  return page.locator('.MuiCard-root').filter({ has: page.getByText('CloudFormation stack', { exact: true }) });
}

describe("the README's moto path in the browser", () => {
  it('creates a service from the Create page and deploys it to moto', () =>
    endingOn('task-page', async () => {
      await signInAsGuest(page);
      await chooseTemplate(page, templateTitle);
      await fillField(page, 'Name', service.name);
      await fillField(page, 'Description', service.description);
      await chooseOption(page, 'Owner', service.owner);
      await saveScreenshot(page, screenshot('form'));
      await goToReview(page);
      await saveScreenshot(page, screenshot('review'));
      await clickCreate(page);

      const outcome = await waitForTaskToFinish(page, 240_000);
      const log = await readTaskLog(page);
      expect({ outcome, log: outcome.status === 'completed' ? '' : log }).toEqual({ outcome: { status: 'completed' }, log: '' });
      expect(log).toContain(`Stack ${stackName} is CREATE_COMPLETE.`);
    }),
  300_000);

  it("shows the stack's status on the entity page, what moto reports, and a note in words for what it does not", () =>
    endingOn('entity-page', async () => {
      const entityPath = `/api/catalog/entities/by-name/component/default/${service.name}`;
      await waitFor(async () => (await portal.api(entityPath)).ok, 60_000);
      await page.getByRole('link', { name: 'Open in catalog' }).click();
      await page.waitForURL(url => url.pathname === `/catalog/default/component/${service.name}`);

      const card = stackCard();
      await card.getByText('Create complete', { exact: true }).waitFor();
      await card.getByText('us-east-1 · account 123456789012').waitFor();
      // Never the SDK's parser message, never a whole-card error for one call that failed.
      expect(await card.innerText()).not.toMatch(/XML parse|Deserialization|\$response|Could not read the stack/);

      // moto gives stacks made from change sets no outputs: the card says so instead of an empty table.
      await card.getByRole('tab', { name: 'Outputs (0)' }).waitFor();
      await card.getByText(/^CloudFormation reports no outputs for this stack: .*moto/).waitFor();

      // The resources: listed when moto answers ListStackResources, a one-sentence note when it does not.
      await card.getByRole('tab', { name: /^Resources/ }).click();
      const resources = card.getByRole('table', { name: 'Resources' });
      const note = card.getByRole('note', { name: 'Could not read the resources' });
      await resources.or(note).waitFor();
      if (await note.isVisible()) {
        expect(await note.innerText()).toMatch(
          new RegExp(`ListStackResources for stack ${stackName} answered HTTP 5\\d\\d with [^:]+: check that the CloudFormation endpoint`),
        );
      } else {
        expect(await resources.locator('tbody tr').count()).toBeGreaterThan(0);
      }
      await saveScreenshot(page, screenshot('entity-page-resources'));

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
