/**
 * What proves a Harness delegate is online (reference/next-platforms.md A2): the delegate's own
 * log lines (DelegateAgentServiceImpl.java), its built-in health endpoint (which fails when the
 * socket or heartbeat is down, DelegateHealthMonitor.java), and the NG API's delegate list asked
 * with a separate `core_delegate_view` token.
 */
import { z } from 'zod';
import type { OnlineSignal, VendorApi } from '../types';

export const harnessOnline: OnlineSignal[] = [
  {
    kind: 'log',
    hop: 'started',
    id: 'harness-registering',
    pattern: /Registering delegate with delegate name: (\S+)/,
    name: 1,
    meaning: 'the delegate started registering',
    source: 'harness-core 260-delegate DelegateAgentServiceImpl.java',
  },
  {
    kind: 'log',
    hop: 'registered',
    id: 'harness-registered',
    pattern: /Delegate registered with id \S+/,
    meaning: 'the manager accepted the token and registered the delegate',
    source: 'harness-core 260-delegate DelegateAgentServiceImpl.java',
  },
  {
    kind: 'log',
    hop: 'connected',
    id: 'harness-connected',
    pattern: /Event:OPEN, message:|Polling is enabled for Delegate|Sent \d+ heartbeat calls to manager/,
    meaning: 'the delegate opened its socket (or polls) and sends heartbeats',
    source: 'harness-core 260-delegate DelegateAgentServiceImpl.java',
  },
  {
    kind: 'health',
    hop: 'connected',
    id: 'harness-health',
    port: 3460,
    path: '/api/health',
    ok: /[\s\S]*/,
    meaning: '/api/health answers 2xx (it fails when the socket is closed or heartbeats fail)',
    source: 'harness-core DelegateHealthMonitor.java; delegate-kubernetes-manifest harness-delegate.yaml',
    inContainer: true,
  },
  {
    kind: 'vendor-api',
    hop: 'vendor',
    id: 'harness-api-delegates',
    scope: 'core_delegate_view',
    meaning: 'Harness lists the delegate as connected',
    source: 'harness-core DelegateListResponse.java; developer-hub api-permissions-reference.md',
  },
];

const listSchema = z.object({
  resource: z.array(
    z.object({
      name: z.string(),
      connected: z.boolean(),
      lastHeartBeat: z.number().nullish(),
      delegateReplicas: z.array(z.object({ hostName: z.string().nullish(), connected: z.boolean().nullish() })).nullish(),
    }),
  ),
});

/**
 * `POST /ng/api/delegate-setup/listDelegates?accountIdentifier=` with an `x-api-key` holding
 * `core_delegate_view` (harness-core DelegateListResponse.java).
 */
export const harnessDelegatesApi: VendorApi = {
  scope: 'core_delegate_view',
  scopeField: { label: 'ACCOUNT_ID', help: 'the account identifier' },
  requests: (base, account, name, token) => [
    {
      url: `${base}/ng/api/delegate-setup/listDelegates?accountIdentifier=${encodeURIComponent(account)}`,
      method: 'POST',
      headers: { 'x-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify({ filterType: 'Delegate', delegateName: name }),
    },
  ],
  read(name, [answer]) {
    const list = listSchema.safeParse(answer?.body);
    if (!list.success) return { state: 'failed', detail: 'the Harness API answered in an unexpected shape' };
    const d = list.data.resource.find((r) => r.name === name);
    if (!d) return { state: 'waiting', detail: `Harness does not list a delegate "${name}" (yet)` };
    return d.connected
      ? { state: 'passed', detail: `Harness lists "${name}" as connected` }
      : { state: 'failed', detail: `Harness lists "${name}" as not connected` };
  },
};
