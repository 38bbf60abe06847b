import { modeText, type Manifest } from '../../../shared/bundle';
import { getPlatform } from '../../../shared/platforms';

/** What a bundle is for: platform, variant, agent, when and by which version. */
export function ManifestSummary({ manifest }: { manifest: Manifest }): React.JSX.Element {
  const platform = manifest.platform ? getPlatform(manifest.platform) : undefined;
  const variant = platform?.variants.find((v) => v.id === manifest.variant);
  return (
    <dl className="facts">
      <dt>Platform</dt>
      <dd>{platform ? `${platform.name}${variant ? ` (${variant.name})` : ''}` : 'not recorded'}</dd>
      {manifest.agent ? (
        <>
          <dt>Agent</dt>
          <dd>
            {manifest.agent.name}
            {manifest.agent.host ? ` on ${manifest.agent.host}` : ''}
          </dd>
        </>
      ) : null}
      <dt>Made</dt>
      <dd>
        <time dateTime={manifest.createdAt}>{new Date(manifest.createdAt).toLocaleString()}</time> by Agent Onboard {manifest.appVersion}
      </dd>
    </dl>
  );
}

const STATUS_WORDS = { ok: 'matches', mismatch: 'DOES NOT MATCH', missing: 'MISSING', locked: 'encrypted; matches as stored' } as const;
const TARGET_WORDS = { create: 'new file', overwrite: 'replaces an existing file', same: 'already there, identical' } as const;

export interface FileRow {
  path: string;
  size: number;
  mode: number;
  secret: boolean;
  encrypted?: boolean;
  status?: keyof typeof STATUS_WORDS;
  target?: keyof typeof TARGET_WORDS;
}

/** The files of a bundle: path, size, mode, secrecy, and (when checked) checksum and target status. */
export function ManifestTable({ files, caption }: { files: FileRow[]; caption: string }): React.JSX.Element {
  const checked = files.some((f) => f.status);
  const targeted = files.some((f) => f.target);
  return (
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Size (bytes)</th>
          <th scope="col">Mode</th>
          <th scope="col">Secret</th>
          {checked ? <th scope="col">Checksum</th> : null}
          {targeted ? <th scope="col">In the folder</th> : null}
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.path}>
            <th scope="row">
              <code>{f.path}</code>
            </th>
            <td>{f.size}</td>
            <td>{modeText(f.mode)}</td>
            <td>{f.secret ? (f.encrypted ? 'yes, encrypted' : 'yes') : 'no'}</td>
            {checked ? <td className={f.status === 'mismatch' || f.status === 'missing' ? 'bad' : 'good'}>{f.status ? STATUS_WORDS[f.status] : ''}</td> : null}
            {targeted ? <td className={f.target === 'overwrite' ? 'warn' : undefined}>{f.target ? TARGET_WORDS[f.target] : ''}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
