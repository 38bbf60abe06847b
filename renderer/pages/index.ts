/** The app's top-level pages, in header order. The wizard is first; each page has its own folder. */
import type { PageView } from './types';

export const PAGES: PageView[] = [];
