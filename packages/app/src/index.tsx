import '@backstage/cli/asset-types';
// Backstage UI's stylesheet: the new frontend system's page headers, tabs and buttons are BUI components.
import '@backstage/ui/css/styles.css';
import { createRoot } from 'react-dom/client';
import App from './App';

createRoot(document.getElementById('root')!).render(App);
