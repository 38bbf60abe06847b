import { useId } from 'react';
import type { PageProps, PageView } from '../types';
import { FleetRunner } from './FleetRunner';
import { OpenBundle } from './OpenBundle';

function BundlesPage({ navigate }: PageProps): React.JSX.Element {
  const id = useId();
  return (
    <main className="page" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Bundles</h1>
      <p className="lead">Check a bundle before you trust it, unpack it safely, or make one bundle per agent for a whole fleet.</p>
      <OpenBundle />
      <FleetRunner navigate={navigate} />
    </main>
  );
}

export const bundlesPage: PageView = { id: 'bundles', title: 'Bundles', Component: BundlesPage };
