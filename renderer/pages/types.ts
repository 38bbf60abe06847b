/** A top-level page of the app (the wizard is one; others are reached from the header). */
export interface PageView {
  id: string;
  title: string;
  Component(props: PageProps): React.JSX.Element;
}

export interface PageProps {
  /** Switches to another page, optionally with data for it (e.g. a platform to preselect). */
  navigate(pageId: string, data?: Record<string, unknown>): void;
  /** Data given by the page that navigated here. */
  data: Record<string, unknown> | undefined;
}
