import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { waitForTaskToFinish } from './support/browser';
import { BrowserPortal, startBrowserPortal } from './support/browserPortal';
import { Portal } from './support/portal';
import { createServiceOnForm, waitForComponent } from './support/serviceForm';

// The entity page's Docs tab in Chromium over the real backend: a service created on the Create page
// (deployed to the scripted CloudFormation endpoint, published as a local git repository) gets its
// generated docs/ built by TechDocs with the machine's mkdocs, read through the local-git URL reader.
// Screenshots: test-results/screenshots/techdocs-*.png.
jest.setTimeout(180_000);

const service = {
  name: 'catalogue-api',
  description: 'Lists what the shop sells',
  owner: 'platform-team',
  stackName: 'catalogue-api-dev',
};
const entityPage = `/catalog/default/component/${service.name}`;

let harness: BrowserPortal;
let portal: Portal;
let page: Page;

beforeAll(async () => {
  harness = await startBrowserPortal({
    scriptedStacks: { [service.stackName]: { stepMs: 20 } },
  });
  ({ portal, page } = harness);
}, 300_000);

afterEach(() => {
  expect(harness?.takePageErrors() ?? []).toEqual([]);
});

afterAll(() => harness?.stop());

/** A tab of the entity page: a link in the header's content navigation. */
function entityTab(name: string) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });
}

/** The rendered site: the reader puts it in a shadow root, which Playwright's locators pierce. */
function docs() {
  return page.getByTestId('techdocs-native-shadowroot');
}

const endingOn = (screenshot: string, steps: () => Promise<void>) =>
  harness.endingOn(screenshot, steps);

describe("the entity page's Docs tab", () => {
  it('creates the service on the Create page', async () => {
    await createServiceOnForm(page, service);
    expect(await waitForTaskToFinish(page)).toEqual({ status: 'completed' });

    await waitForComponent(portal, service.name);
  }, 150_000);

  it('keeps the stack card first on Overview and offers a Docs tab', () =>
    endingOn('techdocs-entity-overview', async () => {
      await page.goto(entityPage);
      const cards = page.locator('.MuiCard-root');
      await cards
        .first()
        .getByText('CloudFormation stack', { exact: true })
        .waitFor();
      // Overview is the first tab, Docs the next.
      const tabs = page
        .getByRole('navigation', { name: 'Content navigation' })
        .getByRole('link');
      await entityTab('Docs').waitFor();
      expect((await tabs.allInnerTexts()).slice(0, 2)).toEqual([
        'Overview',
        'Docs',
      ]);
    }));

  it("renders the generated docs, built from the service's repository with mkdocs", () =>
    endingOn('techdocs-entity-docs', async () => {
      await page.goto(entityPage);
      await entityTab('Docs').click();
      await page.waitForURL(url => url.pathname === `${entityPage}/docs`);

      // docs/index.md's heading is the service's name (as is the entity page's title, outside the
      // docs), and its first paragraph says what it is.
      await docs()
        .getByRole('heading', { level: 1, name: service.name, exact: true })
        .waitFor({ timeout: 90_000 })
        .catch(() => {
          throw new Error(
            `The Docs tab did not show docs/index.md. Backend log:\n${portal.logs().slice(-4_000)}`,
          );
        });
      await docs()
        .getByText(
          'A service on AWS Fargate with its own database, created from the portal',
        )
        .waitFor();
      // The reader shows a progress bar until the site's stylesheets have loaded (and forever when one
      // cannot, such as Google Fonts offline: techdocs.generator.mkdocs.disableExternalFonts).
      await page.getByRole('progressbar').waitFor({ state: 'detached' });
      // mkdocs.yml's navigation, the generated architecture page among it.
      for (const title of ['Architecture', 'Database credentials']) {
        await docs()
          .getByRole('link', { name: title, exact: true })
          .first()
          .waitFor();
      }
      expect(
        await page
          .getByText(/Building a newer version|failed to build/i)
          .count(),
      ).toBe(0);

      // Built and published by this backend: its local publisher's directory holds the site.
      await stat(
        path.join(
          portal.dataDir,
          'techdocs',
          'default',
          'component',
          service.name,
          'index.html',
        ),
      );
    }));

  it('follows the navigation to the architecture page the generate step wrote', () =>
    endingOn('techdocs-entity-docs-architecture', async () => {
      await docs()
        .getByRole('link', { name: 'Architecture', exact: true })
        .first()
        .click();
      await page.waitForURL(url =>
        url.pathname.startsWith(`${entityPage}/docs/architecture`),
      );
      await docs()
        .getByRole('heading', { level: 1 })
        .filter({ hasText: /architecture/i })
        .first()
        .waitFor();
    }));

  it("opens the same docs from the About card's View TechDocs link", () =>
    endingOn('techdocs-reader-page', async () => {
      await page.goto(entityPage);
      // The standalone reader page of this entity (the kind as the catalog spells it).
      const readerPath = new RegExp(
        `^/docs/default/component/${service.name}/?$`,
        'i',
      );
      const link = page.getByRole('link', { name: /view techdocs/i });
      expect(await link.getAttribute('href')).toMatch(readerPath);
      await link.click();
      await docs()
        .getByRole('heading', { level: 1, name: service.name, exact: true })
        .waitFor();
      expect(new URL(page.url()).pathname).toMatch(readerPath);
      await page.getByRole('progressbar').waitFor({ state: 'detached' });
    }));
});
