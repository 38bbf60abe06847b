/**
 * In-place edits of an existing install. ARC keeps its PAT in the Secret `githubConfigSecret`
 * names (or, in older values files, inline under githubConfigSecret.github_token): that token is
 * rotated in place. A host runner has no token to rotate — `.runner` is recognised and refused
 * with its identity and the way out: re-registration (reregister.ts).
 */
import { err } from '../../result';
import { base64Utf8, checkTokenText, decodeBase64Utf8 } from '../../edit/values';
import { editYaml, getNode, getScalar, parseYaml, type YamlDoc, type YamlSet } from '../../edit/yaml';
import { YAML_NAME } from '../../edit/updater-kit';
import type { Updater } from '../types';
import { runnerIdentity } from './reregister';
import { readRunnerFile } from './state';

/** The github_token scalars of a YAML file: inline in scale-set values, or in a Secret's data (base64) / stringData. */
function tokenSets(docs: YamlDoc[], token: string): YamlSet[] {
  const sets: YamlSet[] = [];
  for (const doc of docs) {
    const root = doc.contents;
    const inline = getScalar(getNode(root, 'githubConfigSecret'), 'github_token');
    if (inline) sets.push({ node: inline, value: token, what: 'githubConfigSecret.github_token (inline in the values; better moved to a Secret)' });
    if (getScalar(root, 'kind')?.value === 'Secret') {
      const data = getScalar(getNode(root, 'data'), 'github_token');
      if (data && typeof data.value === 'string' && decodeBase64Utf8(data.value) !== undefined)
        sets.push({
          node: data,
          value: base64Utf8(token),
          what: `github_token in Secret ${String(getScalar(getNode(root, 'metadata'), 'name')?.value ?? '')} data (base64)`,
        });
      const plain = getScalar(getNode(root, 'stringData'), 'github_token');
      if (plain)
        sets.push({
          node: plain,
          value: token,
          what: `github_token in Secret ${String(getScalar(getNode(root, 'metadata'), 'name')?.value ?? '')} stringData`,
        });
    }
  }
  return sets;
}

const arcToken: Updater = {
  id: 'github-arc-token',
  name: 'ARC GitHub token (scale-set values or Secret)',
  detect(fileName, text) {
    if (!YAML_NAME.test(fileName) || !/github_token/.test(text)) return false;
    const docs = parseYaml(text);
    return docs.ok && tokenSets(docs.value, 'x').length > 0;
  },
  rotate(text, newToken) {
    const checked = checkTokenText(newToken, 'The PAT');
    if (!checked.ok) return checked;
    if (!/^(ghp_|github_pat_)/.test(newToken))
      return err(
        'TOKEN_WRONG_KIND',
        'ARC authenticates with a personal access token (ghp_… or github_pat_…): a registration token expires within the hour.',
        'Create a PAT with "Self-hosted runners: write" on the organization (repository: "Administration: write").',
      );
    const docs = parseYaml(text);
    if (!docs.ok) return docs;
    return editYaml(text, docs.value, tokenSets(docs.value, newToken));
  },
  commands: [
    {
      title: 'Apply the change, then restart the listener so it takes the new token',
      command: 'kubectl apply -f <file> && kubectl delete pod -n arc-systems -l app.kubernetes.io/component=runner-scale-set-listener',
    },
  ],
  commandsFor(text, filePath) {
    const inline = /githubConfigSecret:\s*\n\s+github_token:/.test(text);
    const apply = inline
      ? `helm upgrade <scale-set-release> --namespace <namespace> -f ${filePath} oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set`
      : `kubectl apply -f ${filePath}`;
    return [
      { title: inline ? 'Upgrade the scale set with the edited values' : 'Apply the edited Secret', command: apply },
      {
        title: 'Restart the listener so it reads the new token (whether it reloads by itself is not documented)',
        command: 'kubectl delete pod -n arc-systems -l app.kubernetes.io/component=runner-scale-set-listener',
      },
    ];
  },
};

const runnerFile: Updater = {
  id: 'github-runner-settings',
  name: 'GitHub Actions runner (.runner)',
  homeFiles: ['.runner'],
  recogniseOnly: true,
  detect(fileName, text) {
    return /(^|[\\/])\.runner$/.test(fileName) && readRunnerFile(text).ok;
  },
  rotate(text) {
    const state = readRunnerFile(text);
    if (!state.ok) return state;
    return err(
      'NOT_BUILT',
      `This is ${runnerIdentity(state.value)}. A runner has no token to rotate in place: it signs in with its own key, and gets a new registration only by being configured again.`,
      'Re-register it: stop and uninstall the service, ./config.sh remove (remove token or PAT), ./config.sh … --replace with a new registration token, install and start. The "Re-register an existing runner" variant writes this as reregister-runner.sh (wizard, or agent-onboard generate github-actions --variant reregister with this .runner in the answers). If GitHub deleted the runner after 14 days offline, skip remove: move .runner, .credentials and .credentials_rsaparams aside and configure again.',
    );
  },
  commands: [],
};

/** The in-place editors: ARC's token, and the host runner's settings (recognised, never edited). */
export const GITHUB_UPDATERS: Updater[] = [arcToken, runnerFile];
