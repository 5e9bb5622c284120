import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';
import { Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import {
  chooseOption,
  chooseTemplate,
  fillField,
  goToReview,
  launchChromium,
  openPortalPage,
  openTemplateInEditor,
  PortalPage,
  provideTemplateDirectory,
  runDryRunInEditor,
  saveScreenshot,
  signInAsGuest,
} from './support/browser';
import { GOLDEN_PATH_TEMPLATE, Portal, repoRoot, startPortal, waitFor } from './support/portal';
import { readTemplateDirectory } from './support/scaffolder';

// The portal's UI in Debian's Chromium against the real backend serving the built app. The tests run in
// order on one signed-in page, like a person clicking through: sign-in first, then Create, the template's
// form, entity pages and the template editor. Every test leaves a screenshot in test-results/screenshots/.
jest.setTimeout(120_000);

const templateDirectory = path.join(repoRoot, 'templates', GOLDEN_PATH_TEMPLATE);
const service = { name: 'orders-api', owner: 'platform-team' };
// Catalog entities for the entity page: one naming a stack in a region the portal may not read
// (so the card answers without calling AWS), one naming none.
const stackName = 'billing-api-dev';
const entities = [
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

let fixtureDir: string;
let portal: Portal;
let browser: Browser;
let session: PortalPage;
let page: Page;
let templateTitle: string;

beforeAll(async () => {
  // The backend looks for the built app once, at startup: build it first when it is missing or stale.
  await promisify(execFile)(process.execPath, ['scripts/build-app.js'], { cwd: repoRoot, maxBuffer: 64 << 20 });
  templateTitle = parse(await readFile(path.join(templateDirectory, 'template.yaml'), 'utf8')).metadata.title;

  fixtureDir = await mkdtemp(path.join(tmpdir(), 'portal-ui-'));
  const entitiesFile = path.join(fixtureDir, 'entities.yaml');
  await writeFile(
    entitiesFile,
    entities
      .map(({ name, annotations }) =>
        stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name, annotations },
          spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/platform-team' },
        }),
      )
      .join('---\n'),
  );
  const appConfig = parse(await readFile(path.join(repoRoot, 'app-config.yaml'), 'utf8'));
  portal = await startPortal({
    config: {
      catalog: { locations: [...appConfig.catalog.locations, { type: 'file', target: entitiesFile }] },
      aws: { cloudformation: { allowedRegions: ['us-east-1'] } },
    },
  });
  browser = await launchChromium();
  session = await openPortalPage(browser, portal.baseUrl);
  page = session.page;
}, 300_000);

afterEach(() => {
  // Taken per test, so one test's error does not fail the next.
  expect(session?.pageErrors.splice(0) ?? []).toEqual([]);
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await portal?.stop();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

/** Runs a test's steps and saves the page it ends on, also when a step fails. */
async function endingOn(screenshot: string, steps: () => Promise<void>) {
  try {
    await steps();
  } finally {
    await saveScreenshot(page, screenshot);
  }
}

async function fillServiceStep() {
  await fillField(page, 'Name', service.name);
  await chooseOption(page, 'Owner', service.owner);
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
      // The table's title gets its count once the entities have loaded.
      await page.getByText(/^All Components \(\d+\)$/i).waitFor();
    }));

  it('lists the golden-path template on the Create page', () =>
    endingOn('create-page', async () => {
      await page.goto('/create');
      await page.getByRole('heading', { name: templateTitle, exact: true }).waitFor();
    }));

  it("opens the template's form from its card and walks it to the review", () =>
    endingOn('template-review', async () => {
      await chooseTemplate(page, templateTitle);
      await fillServiceStep();
      await saveScreenshot(page, 'template-form');
      await goToReview(page);

      const review = page.locator('table');
      await review.getByRole('cell', { name: service.name, exact: true }).waitFor();
      await review.getByRole('cell', { name: `group:default/${service.owner}`, exact: true }).waitFor();
    }));

  // The full run slots in here: clickCreate, waitForTaskToFinish and readTaskLog on the task page,
  // then the output link to the entity page and its CloudFormation card.

  it('shows the CloudFormation card on the entity pages of entities that name a stack, and only there', () =>
    endingOn('entity-page-without-stack', async () => {
      for (const { name } of entities) {
        const entityPath = `/api/catalog/entities/by-name/component/default/${name}`;
        await waitFor(async () => (await portal.api(entityPath)).ok, 60_000);
      }
      const cardTitle = page.getByText('CloudFormation stack', { exact: true });

      await page.goto('/catalog/default/component/billing-api');
      await cardTitle.waitFor();
      await page.getByText(stackName, { exact: true }).waitFor();
      // A stack the portal may not read gets an empty state saying what to configure, not an error.
      await page.getByText('Region eu-west-3 is not in aws.cloudformation.allowedRegions').waitFor();
      await saveScreenshot(page, 'entity-page-with-stack');

      await page.goto('/catalog/default/component/ledger-api');
      await page.getByText('About', { exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await cardTitle.count()).toBe(0);
    }));

  it('dry-runs the template folder in the template editor', () =>
    endingOn('template-editor-dry-run', async () => {
      // The editor loads a folder from disk (File System Access API); this is the template's folder.
      await provideTemplateDirectory(page, await readTemplateDirectory(templateDirectory));
      await openTemplateInEditor(page);
      await page.getByText(`title: ${templateTitle}`).waitFor();
      await saveScreenshot(page, 'template-editor');

      await fillServiceStep();
      await goToReview(page);
      const { result, error } = await runDryRunInEditor(page);

      expect(error).toBeUndefined();
      expect(result!.log.filter(entry => entry.body.status === 'failed').map(entry => entry.body.message)).toEqual([]);
      await page.getByRole('tab', { name: 'Log' }).click();
      for (const step of result!.steps) {
        await page.getByText(step.name, { exact: true }).first().waitFor();
      }
    }));
});
