import { useId, useState } from 'react';
import type { Draft } from '../../../shared/ipc';
import type { AnyPlatform } from '../../../shared/platforms/types';
import type { AppError } from '../../../shared/result';
import { CommandList } from '../../components/CommandList';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';

/** The same fleet CSV as an Ansible project that installs, verifies and removes the agents. */
export function AnsibleExport({ draft, platform, csv }: { draft: Draft; platform: AnyPlatform; csv: string }): React.JSX.Element {
  const id = useId();
  const types = platform.ansible ?? [];
  const [installType, setInstallType] = useState(types[0]?.id ?? '');
  const [outDir, setOutDir] = useState('');
  const [installRoot, setInstallRoot] = useState('');
  const [vaultPassword, setVaultPassword] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const job = useJob('fleet:ansible');

  if (types.length === 0) {
    return (
      <section aria-labelledby={`${id}-h`}>
        <h3 id={`${id}-h`}>Or: an Ansible project</h3>
        <p className="muted">{platform.name} has no Ansible install type yet; use the bundles above.</p>
      </section>
    );
  }

  const run = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (!csv.trim()) return setError({ code: 'BAD_INPUT', message: 'Choose or paste the fleet CSV above first.' });
    if (!outDir.trim()) return setError({ code: 'BAD_INPUT', message: 'Give a new or empty folder for the project.' });
    if (vaultPassword.length < 8) return setError({ code: 'BAD_INPUT', message: 'The vault password must have at least 8 characters.' });
    await job.run({ draft, csv, outDir, vaultPassword, installType, ...(installRoot.trim() ? { installRoot: installRoot.trim() } : {}) });
  };

  const project = job.value?.outDir ?? '';
  // What the role does not bring (the runner program, a user), as the install type says.
  const notes = types.find((t) => t.id === installType)?.notes ?? [];
  const quoted = `'${project.replace(/'/g, `'\\''`)}'`;
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Or: an Ansible project for the whole fleet</h3>
      <p>
        The same CSV becomes an Ansible project: an inventory (columns <code>ansible_host</code>, <code>ansible_port</code>, <code>ansible_user</code>,{' '}
        <code>install_root</code>), one role built from the same generator as the wizard, and <code>site.yml</code> (install and verify),{' '}
        <code>verify.yml</code> and <code>remove.yml</code>, rolling one host first.{' '}
        {platform.credential.kind === 'ssh-keypair' ? 'Each agent gets its own key pair. ' : ''}Secrets are encrypted with Ansible Vault; the password is not
        stored anywhere.
      </p>
      <form onSubmit={(e) => void run(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-type`}>Install type</label>
          <select id={`${id}-type`} value={installType} onChange={(e) => setInstallType(e.target.value)}>
            {types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-out`}>Folder for the project (new or empty)</label>
          <input id={`${id}-out`} type="text" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="~/fleet-ansible" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-root`}>Install root on each host (optional)</label>
          <input
            id={`${id}-root`}
            type="text"
            value={installRoot}
            onChange={(e) => setInstallRoot(e.target.value)}
            placeholder="/ (the host's own folders)"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-vault`}>Vault password (8+ characters, never stored)</label>
          <input id={`${id}-vault`} type="password" autoComplete="new-password" value={vaultPassword} onChange={(e) => setVaultPassword(e.target.value)} />
        </div>
        <div className="row">
          <button type="submit" disabled={job.running}>
            Export the Ansible project
          </button>
        </div>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      <JobProgress label="Writing the Ansible project" running={job.running} message={job.message} fraction={job.fraction} onCancel={job.cancel} />
      {job.error ? <ErrorNote error={job.error} /> : null}
      {job.value ? (
        <div className="result">
          <p role="status" className="ok" data-testid="ansible-summary">
            Ansible project for {job.value.hosts} hosts in <code>{job.value.outDir}</code>: {job.value.files} files, {job.value.encrypted} encrypted with the
            vault password, in {(job.value.elapsedMs / 1000).toFixed(1)} s.
          </p>
          {job.value.publicKeys ? (
            <p>
              Register every public key in <code>{job.value.publicKeys}</code> with {platform.name} before running it.
            </p>
          ) : null}
          {notes.length ? (
            <>
              <p>Before you run it (the project README says the same):</p>
              <ul data-testid="ansible-notes">
                {notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          ) : null}
          <CommandList
            commands={[
              {
                title: 'Preview every change (nothing changes on the hosts)',
                command: `cd ${quoted} && ansible-playbook site.yml --check --diff --ask-vault-pass`,
              },
              { title: 'Install and verify, one host first', command: `cd ${quoted} && ansible-playbook site.yml --ask-vault-pass` },
              { title: 'Check the agents are online', command: `cd ${quoted} && ansible-playbook verify.yml --ask-vault-pass` },
            ]}
          />
        </div>
      ) : null}
    </section>
  );
}
