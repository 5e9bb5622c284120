import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { LocalGitUrlReader } from './LocalGitUrlReader';

/**
 * Adds {@link LocalGitUrlReader} to every plugin's URL reader, ahead of the default readers, so that
 * `readTree` works on locally published repositories (TechDocs builds their `docs/` with it) and single
 * files are read from disk rather than over HTTP.
 *
 * @public
 */
export const localGitUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return LocalGitUrlReader.factory;
  },
});
