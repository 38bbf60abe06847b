import { useState } from 'react';
import type { PlatformId } from '../../../shared/platforms/types';
import type { InstallDraft } from '../../../shared/remote-contract';
import { InstallPanel } from '../../steps/install/InstallStep';

/**
 * "Install on a host" for a bundle that was opened and verified: the Install step's panel, with
 * the bundle as what is installed (opened again in main; refused if it changed since). The host,
 * its pin and the record live while this page is open.
 */
export function InstallOnHost({
  file,
  passphrase,
  sha256,
  platformId,
}: {
  file: string;
  passphrase: string;
  sha256: string;
  platformId: PlatformId | null;
}): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const [install, setInstall] = useState<InstallDraft>({});
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Install on a host…
      </button>
    );
  }
  return (
    <section className="panel" aria-label="Install this bundle on a host">
      <h3>Install this bundle on a host</h3>
      <InstallPanel
        source={{ kind: 'bundle', file, sha256, ...(passphrase ? { passphrase } : {}) }}
        platformId={platformId ?? undefined}
        install={install}
        set={(patch) =>
          setInstall((now) => {
            if (patch) return { ...now, ...patch };
            const { record: _record, online: _online, ...rest } = now;
            return rest;
          })
        }
      />
    </section>
  );
}
