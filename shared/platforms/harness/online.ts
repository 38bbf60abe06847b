/**
 * What proves a Harness delegate is online (reference/next-platforms.md A2): the delegate's own
 * log lines (DelegateAgentServiceImpl.java), its built-in health endpoint (which fails when the
 * socket or heartbeat is down, DelegateHealthMonitor.java), and the NG API's delegate list asked
 * with a separate `core_delegate_view` token.
 */
import type { OnlineSignal } from '../types';

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
  { kind: 'log', hop: 'registered', id: 'harness-registered', pattern: /Delegate registered with id \S+/, meaning: 'the manager accepted the token and registered the delegate', source: 'harness-core 260-delegate DelegateAgentServiceImpl.java' },
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
  { kind: 'vendor-api', hop: 'vendor', id: 'harness-api-delegates', api: 'harness-delegates', scope: 'core_delegate_view', meaning: 'Harness lists the delegate as connected', source: 'harness-core DelegateListResponse.java; developer-hub api-permissions-reference.md' },
];
