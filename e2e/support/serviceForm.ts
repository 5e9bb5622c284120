import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { parse } from 'yaml';
import {
  chooseOption,
  chooseTemplate,
  clickCreate,
  fillField,
  goToReview,
  saveScreenshot,
} from './browser';
import { GOLDEN_PATH_TEMPLATE, Portal, repoRoot, waitFor } from './portal';

let templateTitle: Promise<string> | undefined;

/** The golden-path template's title, which names its card on the Create page and its form. */
export function goldenPathTemplateTitle(): Promise<string> {
  templateTitle ??= readFile(
    path.join(repoRoot, 'templates', GOLDEN_PATH_TEMPLATE, 'template.yaml'),
    'utf8',
  ).then(text => parse(text).metadata.title);
  return templateTitle;
}

/** What a developer types on the form's first (Service) page; the other pages keep their defaults. */
export interface ServiceFormValues {
  name: string;
  description?: string;
  /** The owner as the picker lists it, e.g. `platform-team`. */
  owner: string;
}

/** Fills the Service page of the form that is open (on the Create page or in the template editor). */
export async function fillServiceStep(page: Page, values: ServiceFormValues) {
  await fillField(page, 'Name', values.name);
  if (values.description !== undefined)
    await fillField(page, 'Description', values.description);
  await chooseOption(page, 'Owner', values.owner);
}

/** Opens the golden-path form from its card on the Create page and fills its Service page. */
export async function openServiceForm(page: Page, values: ServiceFormValues) {
  await chooseTemplate(page, await goldenPathTemplateTitle());
  await fillServiceStep(page, values);
}

/** Screenshots a walk through the form may leave, by name (see `saveScreenshot`). */
export interface FormWalkScreenshots {
  /** The Service page, filled in. */
  filled?: string;
  /** The review, once it shows the name. */
  review?: string;
}

/**
 * Walks the golden-path form from the Create page to its review: fills the Service page, accepts the
 * other pages as they are and waits until the review shows the name.
 */
export async function walkServiceFormToReview(
  page: Page,
  values: ServiceFormValues,
  screenshots: FormWalkScreenshots = {},
) {
  await openServiceForm(page, values);
  if (screenshots.filled) await saveScreenshot(page, screenshots.filled);
  await goToReview(page);
  await page
    .locator('table')
    .getByRole('cell', { name: values.name, exact: true })
    .waitFor();
  if (screenshots.review) await saveScreenshot(page, screenshots.review);
}

/** Walks the form to its review and starts the task; resolves on the task page with the task's id. */
export async function createServiceOnForm(
  page: Page,
  values: ServiceFormValues,
  screenshots: FormWalkScreenshots = {},
): Promise<string> {
  await walkServiceFormToReview(page, values, screenshots);
  return clickCreate(page);
}

/** Waits until the catalog serves the component: catalog:register only adds its location, ingested in the background. */
export async function waitForComponent(
  portal: Portal,
  name: string,
  timeoutMs = 60_000,
) {
  await waitFor(
    async () =>
      (
        await portal.api(
          `/api/catalog/entities/by-name/component/default/${name}`,
        )
      ).ok,
    timeoutMs,
  ).catch(() => {
    throw new Error(
      `The catalog did not register component:default/${name} within ${timeoutMs / 1000} s`,
    );
  });
}

/** From a finished task's page, follows its "Open in catalog" link to the new component's entity page. */
export async function openCreatedComponent(
  page: Page,
  portal: Portal,
  name: string,
) {
  await waitForComponent(portal, name);
  await page.getByRole('link', { name: 'Open in catalog' }).click();
  await page.waitForURL(
    url => url.pathname === `/catalog/default/component/${name}`,
  );
}
