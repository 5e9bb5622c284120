import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { repoRoot } from './portal';
import { DryRunFile, DryRunResult } from './scaffolder';

/** Debian's Chromium (`apt-get install -y chromium`); no browser downloads. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots are test artifacts: git-ignored, kept after the run for people and CI to look at. */
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/**
 * Headless Chromium with the flags known to work on this image. Playwright starts it with a fresh
 * `--user-data-dir` of its own and removes that folder on `close()`.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's with \`apt-get install -y chromium\``,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PortalPage {
  page: Page;
  /** Uncaught errors thrown in the page so far; a working UI has none. */
  pageErrors: Error[];
  close(): Promise<void>;
}

/** A page in its own browser context (cookies, storage) with relative URLs resolved against the portal. */
export async function openPortalPage(
  browser: Browser,
  baseUrl: string,
): Promise<PortalPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
  });
  // The UI loads its chunks lazily from a backend that shares two cores with the test run.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', error => pageErrors.push(error));
  return { page, pageErrors, close: () => context.close() };
}

/**
 * Signs in with the auth backend's guest provider and lands on the catalog; returns the signed-in
 * user's entity ref as the backend issued it.
 */
export async function signInAsGuest(page: Page): Promise<string> {
  await page.goto('/');
  const signedIn = page.waitForResponse(response =>
    new URL(response.url()).pathname.endsWith('/api/auth/guest/refresh'),
  );
  await page.getByRole('button', { name: 'Enter' }).click();
  const response = await signedIn;
  // Without the backend provider the page would offer the frontend-only legacy guest instead.
  if (!response.ok())
    throw new Error(
      `Guest sign-in failed: HTTP ${response.status()} ${await response.text()}`,
    );
  await page.waitForURL(url => url.pathname.startsWith('/catalog'));
  return (await response.json()).backstageIdentity.identity.userEntityRef;
}

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png` and returns its path. */
export async function saveScreenshot(
  page: Page,
  name: string,
): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// --- The scaffolder's pages -------------------------------------------------------------------

/** Opens the template's form from its card on the Create page. */
export async function chooseTemplate(page: Page, templateTitle: string) {
  await page.goto('/create');
  const card = page.locator('.MuiCard-root').filter({
    has: page.getByRole('heading', { name: templateTitle, exact: true }),
  });
  await card.getByRole('button', { name: 'Choose' }).click();
  await page.getByRole('heading', { name: templateTitle }).waitFor();
}

/**
 * The form control a scaffolder field's `<label>` names: an input, a select's button or an entity
 * picker's input, each found through the label's `for`. A required field's label ends in " *" (a thin space).
 */
async function formControl(page: Page, label: string): Promise<Locator> {
  const labelElement = page
    .locator('label')
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}(\\s\\*)?$`) });
  const id = await labelElement.getAttribute('for');
  if (!id) throw new Error(`The form field labelled "${label}" has no control`);
  return page.locator(`[id="${id}"]`);
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Types into the text (or number) field with this label, replacing what was there. */
export async function fillField(page: Page, label: string, value: string) {
  await (await formControl(page, label)).fill(value);
}

/** Picks an option of a select (an `enum`) or an entity picker (OwnerPicker, EntityPicker) by its text. */
export async function chooseOption(page: Page, label: string, option: string) {
  await (await formControl(page, label)).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Ticks or clears the checkbox of a boolean field. */
export async function setCheckbox(page: Page, label: string, checked: boolean) {
  await page
    .getByRole('checkbox', { name: label, exact: true })
    .setChecked(checked);
}

/** Goes to the form's next step. */
export async function clickNext(page: Page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

/** Leaves the form's last step for the review. */
export async function clickReview(page: Page) {
  await page.getByRole('button', { name: 'Review', exact: true }).click();
}

/** Accepts the remaining steps as they are (defaults, or values filled before) and opens the review. */
export async function goToReview(page: Page) {
  const review = page.getByRole('button', { name: 'Review', exact: true });
  const activeStep = page.locator('.MuiStepLabel-label.MuiStepLabel-active');
  while (!(await review.isVisible())) {
    const step = await activeStep.innerText();
    await clickNext(page);
    // A step whose values fail validation stays put: say why rather than wait for a timeout.
    const moved = await activeStep
      .filter({ hasNotText: new RegExp(`^${escapeRegExp(step)}$`) })
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (!moved)
      throw new Error(
        `The form's "${step}" step did not accept its values: ${await formProblems(page)}`,
      );
  }
  await review.click();
}

/** The browser's and the form's validation messages on the current step. */
async function formProblems(page: Page): Promise<string> {
  const invalid = await page
    .locator('form :invalid')
    .evaluateAll(fields =>
      fields.map(
        field =>
          `${field.id}: ${(field as HTMLInputElement).validationMessage}`,
      ),
    );
  const errors = await page
    .locator('form .MuiFormHelperText-root.Mui-error')
    .allInnerTexts();
  return [...invalid, ...errors].join('; ') || 'no message shown';
}

/** Starts the task from the review step; resolves on the task page with the task's id. */
export async function clickCreate(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(url => /\/create\/tasks\/[^/]+$/.test(url.pathname));
  return new URL(page.url()).pathname.split('/').pop()!;
}

export interface TaskOutcome {
  status: 'completed' | 'failed';
  /** The error the task page shows for a failed task. */
  error?: string;
}

/** Waits until the task page shows the task ended (Start Over enabled) and says how it ended. */
export async function waitForTaskToFinish(
  page: Page,
  timeoutMs = 120_000,
): Promise<TaskOutcome> {
  await page
    .getByTestId('start-over-button')
    .and(page.locator(':enabled'))
    .waitFor({ timeout: timeoutMs });
  // A failed task gets an error panel (role "alert") titled "Error: <message>" above its steps.
  const errorPanel = page.getByRole('alert').filter({ hasText: /^Error: / });
  if ((await errorPanel.count()) === 0) return { status: 'completed' };
  const title = await errorPanel
    .first()
    .getByRole('button')
    .first()
    .innerText();
  return { status: 'failed', error: title.trim().replace(/^Error: /, '') };
}

/**
 * The task page's whole log as plain text. The log viewer renders only the lines in view, so this
 * reads the file its "Download logs" button produces, without the terminal colour codes.
 */
export async function readTaskLog(page: Page): Promise<string> {
  const showLogs = page.getByRole('button', { name: 'Show Logs' });
  if (await showLogs.isVisible()) await showLogs.click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download logs' }).click(),
  ]);
  const log = await readFile(await download.path(), 'utf8');
  // eslint-disable-next-line no-control-regex
  return log.replace(/\u001b\[[0-9;]*m/g, '');
}

// --- The template editor ----------------------------------------------------------------------

/**
 * Makes the template editor's "Load Template Directory" open these files. The editor reads a folder
 * through the File System Access API, whose native picker a headless browser cannot operate; the
 * picker is replaced by one that returns a folder in the page's origin-private file system holding
 * the files. Call before the editor page loads: the editor keeps the picker it finds at load time.
 */
export async function provideTemplateDirectory(
  page: Page,
  files: DryRunFile[],
) {
  await page.addInitScript((templateFiles: DryRunFile[]) => {
    // Chromium has the picker; TypeScript's DOM library does not declare it yet.
    (
      window as Window & {
        showDirectoryPicker?: () => Promise<FileSystemDirectoryHandle>;
      }
    ).showDirectoryPicker = async () => {
      const root = await navigator.storage.getDirectory();
      await root
        .removeEntry('template', { recursive: true })
        .catch(() => undefined);
      const directory = await root.getDirectoryHandle('template', {
        create: true,
      });
      for (const file of templateFiles) {
        const segments = file.path.split('/');
        let parent = directory;
        for (const segment of segments.slice(0, -1)) {
          parent = await parent.getDirectoryHandle(segment, { create: true });
        }
        const handle = await parent.getFileHandle(
          segments[segments.length - 1],
          { create: true },
        );
        const writable = await handle.createWritable();
        await writable.write(
          Uint8Array.from(atob(file.base64Content), c => c.charCodeAt(0)),
        );
        await writable.close();
      }
      return directory;
    };
  }, files);
}

/** Opens the template editor and loads the template folder given to {@link provideTemplateDirectory}. */
export async function openTemplateInEditor(page: Page) {
  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await page.waitForURL(url => url.pathname === '/create/edit/template');
}

export interface EditorDryRun {
  /** The dry-run's result as the backend sent it to the editor: log, files and output. */
  result?: DryRunResult;
  /** Why the backend refused the dry-run; the editor shows it over the template file. */
  error?: string;
}

/**
 * Runs a dry-run from the editor form's review step (its Create button) and waits until the editor
 * lists the result. Returns what the editor received, so tests can check the log and files it shows.
 */
export async function runDryRunInEditor(page: Page): Promise<EditorDryRun> {
  const answered = page.waitForResponse(response =>
    new URL(response.url()).pathname.endsWith('/api/scaffolder/v2/dry-run'),
  );
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const response = await answered;
  const body = await response.json();
  if (!response.ok())
    return { error: body.error?.message ?? `HTTP ${response.status()}` };
  await page
    .getByRole('button', { name: /^Result \d+$/ })
    .last()
    .waitFor();
  return { result: body };
}
