import { EmbeddedDocsRouter } from '@backstage/plugin-techdocs';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';

/**
 * TechDocs' frontend: the docs pages and the entity page's docs tab (named "Docs" in app-config.yaml).
 * The tab's reader leaves out its search box: that box needs the search plugin and a search backend,
 * which this portal does not run, and fails the whole tab without them.
 */
export const portalTechdocsPlugin = techdocsPlugin.withOverrides({
  extensions: [
    techdocsPlugin.getExtension('entity-content:techdocs').override({
      params: {
        loader: async () => <EmbeddedDocsRouter withSearch={false} />,
      },
    }),
  ],
});
