import { Route, Routes } from 'react-router-dom';
import { Content } from '@backstage/core-components';
import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { ServiceTaskList } from '@golden-path/plugin-cloudformation';

/**
 * `/create/tasks` lists tasks by the service they created (Backstage's own list shows task ids and
 * template titles only; no template setting changes that). A task's own page stays Backstage's.
 */
export const serviceTasksModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    scaffolderPlugin.getExtension('sub-page:scaffolder/tasks').override({
      *factory(originalFactory) {
        for (const output of originalFactory()) {
          if (output.id !== coreExtensionData.reactElement.id) {
            yield output;
            continue;
          }
          yield coreExtensionData.reactElement(
            <Routes>
              <Route
                index
                element={
                  <Content>
                    <ServiceTaskList />
                  </Content>
                }
              />
              <Route path="*" element={output.value as JSX.Element} />
            </Routes>,
          );
        }
      },
    }),
  ],
});
