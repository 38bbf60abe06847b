/** The app's top-level pages, in header order. The wizard is first; each page has its own folder. */
import type { PageView } from './types';
import { bundlesPage } from './bundles/BundlesPage';
import { diagnosticsPage } from './diagnostics/DiagnosticsPage';
import { historyPage } from './history/HistoryPage';
import { rotatePage } from './rotate/RotatePage';

export const PAGES: PageView[] = [bundlesPage, diagnosticsPage, rotatePage, historyPage];
