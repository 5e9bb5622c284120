import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Browser, Page } from 'playwright-core';
import {
  FakeCloudFormation,
  type FakeStackScenario,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import {
  launchChromium,
  openPortalPage,
  PortalPage,
  saveScreenshot,
  signInAsGuest,
} from './browser';
import { Moto, startMoto } from './moto';
import { mergeDeep, Portal, repoRoot, startPortal } from './portal';
import { goldenPathTemplateTitle } from './serviceForm';
import {
  ACCOUNT,
  plantComponents,
  REGION,
  scriptedEndpointEnv,
  TEST_ACCOUNT_AWS_CONFIG,
  TestComponent,
} from './testAccount';

export interface BrowserPortalOptions {
  /**
   * Starts the scripted CloudFormation endpoint with these stacks scripted, points the backend's SDK at
   * it and lets the portal use the test account.
   */
  scriptedStacks?: Record<string, FakeStackScenario>;
  /**
   * Starts moto and gives the backend exactly the README's environment (AWS_ENDPOINT_URL and moto's
   * credentials) and no AWS config, as a new user would run it.
   */
  moto?: boolean;
  /** Further environment of the backend, over what the endpoints set (e.g. one service's endpoint). */
  env?: NodeJS.ProcessEnv;
  /** Components the catalog reads besides app-config.yaml's locations. */
  components?: TestComponent[];
  /** Config layered over the rest. */
  config?: Record<string, unknown>;
  /** Signs in as guest before returning (default true); tests of the sign-in itself say false. */
  signIn?: boolean;
}

/** The real backend serving the built app, one signed-in Chromium page on it, and what the backend talks to. */
export interface BrowserPortal {
  portal: Portal;
  page: Page;
  /** The golden-path template's title, as its card on the Create page shows it. */
  templateTitle: string;
  /** The scripted endpoint; only with {@link BrowserPortalOptions.scriptedStacks}. */
  readonly cloudFormation: FakeCloudFormation;
  /** moto; only with {@link BrowserPortalOptions.moto}. */
  readonly moto: Moto;
  /** Runs a test's steps and saves the page it ends on as a screenshot, also when a step fails. */
  endingOn(screenshot: string, steps: () => Promise<void>): Promise<void>;
  /** The page's uncaught errors since the last call (a working UI has none): take them per test. */
  takePageErrors(): Error[];
  stop(): Promise<void>;
}

/**
 * Builds the app if it is missing or stale (the backend looks for it once, at startup), starts the
 * endpoints asked for, the backend and Chromium, and opens a page on the portal. What it started is
 * stopped again when a later part fails to start.
 */
export async function startBrowserPortal(
  options: BrowserPortalOptions = {},
): Promise<BrowserPortal> {
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    await promisify(execFile)(process.execPath, ['scripts/build-app.js'], {
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    const templateTitle = await goldenPathTemplateTitle();

    let cloudFormation: FakeCloudFormation | undefined;
    let moto: Moto | undefined;
    let env: NodeJS.ProcessEnv = {};
    let config: Record<string, unknown> = {};
    if (options.scriptedStacks) {
      const fake = await FakeCloudFormation.start({
        accountId: ACCOUNT,
        region: REGION,
      });
      stops.push(() => fake.stop());
      for (const [stackName, scenario] of Object.entries(
        options.scriptedStacks,
      ))
        fake.scenario(stackName, scenario);
      cloudFormation = fake;
      env = scriptedEndpointEnv(fake);
      config = { aws: TEST_ACCOUNT_AWS_CONFIG };
    }
    if (options.moto) {
      const started = await startMoto();
      stops.push(() => started.stop());
      moto = started;
      env = { ...env, ...started.env };
    }
    if (options.components) {
      const catalog = await plantComponents(options.components);
      stops.push(() => catalog.remove());
      config = { ...config, catalog: catalog.config };
    }

    const portal = await startPortal({
      env: { ...env, ...options.env },
      config: mergeDeep(config, options.config ?? {}),
    });
    stops.push(() => portal.stop());
    const browser: Browser = await launchChromium();
    stops.push(() => browser.close());
    const session: PortalPage = await openPortalPage(browser, portal.baseUrl);
    stops.push(() => session.close());
    const page = session.page;
    if (options.signIn ?? true) await signInAsGuest(page);

    return {
      portal,
      page,
      templateTitle,
      get cloudFormation() {
        if (!cloudFormation)
          throw new Error('This portal was started without scriptedStacks');
        return cloudFormation;
      },
      get moto() {
        if (!moto) throw new Error('This portal was started without moto');
        return moto;
      },
      endingOn: async (screenshot, steps) => {
        try {
          await steps();
        } finally {
          await saveScreenshot(page, screenshot);
        }
      },
      takePageErrors: () => session.pageErrors.splice(0),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
