/** Handlers of the Connectivity step: the probe run (a job) and the proxy the environment sets. */
import type { Contract } from '../../../shared/ipc';
import { err, ok } from '../../../shared/result';
import type { Deps } from '../../services/deps';
import { sshKeyFromVault } from '../../services/credential';
import type { Ssh2Key } from '../../services/keys';
import { planProxy, runProbes } from '../../services/probe';
import { readCaBundle } from '../../services/probe/ca';
import { describeEnvProxy } from '../../services/probe/proxy';
import type { Handlers, JobRegistry } from '../dispatch';

type ProbeChannels = Pick<Contract, 'probe:run' | 'probe:proxy-env' | 'probe:read-ca'>;

export function probeHandlers(deps: Deps, _jobs: JobRegistry, env: Record<string, string | undefined> = process.env): Handlers<ProbeChannels> {
  return {
    'probe:run': async (input, ctx) => {
      let key: Ssh2Key | undefined;
      if (input.credentialId) {
        const found = sshKeyFromVault(deps.vault, input.credentialId);
        if (!found.ok) return found;
        key = found.value;
      }
      const ca = input.trustedCa?.trim() ? readCaBundle(input.trustedCa) : undefined;
      if (ca && !ca.ok) return err('BAD_INPUT', `trusted CA: ${ca.error.message}`, ca.error.hint);
      const proxy = planProxy(input.proxy ?? { mode: 'env' }, env);
      if ('error' in proxy) return err('BAD_INPUT', `proxy: ${proxy.error}`, 'Write the proxy as http://host:port.');
      const run = await runProbes(
        input.endpoints,
        {
          timeoutMs: input.timeoutMs ?? 5000,
          ssh: {
            ...(input.sshUser ? { user: input.sshUser } : {}),
            ...(key ? { key } : {}),
            ...(input.forwardPorts ? { forwardPorts: input.forwardPorts } : {}),
            ...(input.forwardBind !== undefined ? { forwardBind: input.forwardBind } : {}),
          },
          ...(input.knownHosts ? { knownHosts: input.knownHosts } : {}),
          ...(input.expectedFingerprints ? { expectFingerprints: input.expectedFingerprints } : {}),
          proxy,
          ...(ca ? { extraCa: ca.value.pems, trustedCas: ca.value.certificates } : {}),
        },
        {
          signal: ctx.signal,
          onResult: (row, done, total) => ctx.progress(`${row.endpoint.host}:${row.endpoint.port} ${row.verdict}`, done / total, row),
        },
      );
      if (ctx.signal.aborted) return err('CANCELLED', 'The connectivity check was cancelled.');
      return ok(run);
    },
    'probe:proxy-env': async () => ok(describeEnvProxy(env)),
    'probe:read-ca': async ({ text }) => {
      const ca = readCaBundle(text);
      return ca.ok ? ok({ certificates: ca.value.certificates, pem: ca.value.pems.join('') }) : ca;
    },
  };
}
