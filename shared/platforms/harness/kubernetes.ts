/**
 * The Kubernetes manifest for a Harness delegate, shaped like Harness's own template
 * (harness/delegate-kubernetes-manifest): the token in a Secret (`DELEGATE_TOKEN`), the delegate
 * Deployment (container `delegate`, which the upgrader targets), and the upgrader with its own
 * Secret (`UPGRADER_TOKEN`, the same token), ConfigMap and CronJob.
 */
import { ok, type Result } from '../../result';
import type { Generated } from '../types';
import { toYaml } from '../../edit/yaml';
import type { HarnessAnswers } from './answers';
import { CA_BUNDLE_DIR, commonNotes, delegateImage, delegateTags, proxyEnv, secretDataValue } from './common';

export const MANIFEST_FILE = 'harness-delegate.yaml';

/** The manifest documents, in the order Harness's template has them. */
function documents(a: HarnessAnswers, token: string, trustedCa?: string): unknown[] {
  const name = a.delegateName;
  const ns = a.namespace;
  const data = secretDataValue(token).value;
  const env: { name: string; value?: string; valueFrom?: unknown }[] = [
    { name: 'JAVA_OPTS', value: '-Xms64M' },
    { name: 'ACCOUNT_ID', value: a.accountId },
    { name: 'MANAGER_HOST_AND_PORT', value: a.managerEndpoint },
    { name: 'DEPLOY_MODE', value: 'KUBERNETES' },
    { name: 'DELEGATE_NAME', value: name },
    { name: 'DELEGATE_TYPE', value: 'KUBERNETES' },
    { name: 'DELEGATE_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'INIT_SCRIPT', value: '' },
    { name: 'DELEGATE_DESCRIPTION', value: '' },
    { name: 'DELEGATE_TAGS', value: delegateTags(a) },
    { name: 'NEXT_GEN', value: 'true' },
    { name: 'CLIENT_TOOLS_DOWNLOAD_DISABLED', value: 'true' },
    { name: 'LOG_STREAMING_SERVICE_URL', value: `${a.managerEndpoint}/log-service/` },
    ...proxyEnv(a).map(([k, v]) => ({ name: k, value: v })),
  ];
  const upgraderConfig = toYaml([
    {
      mode: 'Delegate',
      dryRun: false,
      workloadName: name,
      namespace: ns,
      containerName: 'delegate',
      delegateConfig: { accountId: a.accountId, managerHost: a.managerEndpoint },
    },
  ]);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${ns}-cluster-admin` },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }],
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-account-token`, namespace: ns }, type: 'Opaque', data: { DELEGATE_TOKEN: data } },
    ...(trustedCa
      ? [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: `${name}-ca-bundle`, namespace: ns },
            type: 'Opaque',
            stringData: { 'company-ca.pem': trustedCa },
          },
        ]
      : []),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: { 'harness.io/name': name }, name, namespace: ns },
      spec: {
        replicas: 1,
        minReadySeconds: 120,
        selector: { matchLabels: { 'harness.io/name': name } },
        template: {
          metadata: {
            labels: { 'harness.io/name': name },
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3460', 'prometheus.io/path': '/api/metrics' },
          },
          spec: {
            terminationGracePeriodSeconds: 600,
            restartPolicy: 'Always',
            containers: [
              {
                image: delegateImage(a),
                imagePullPolicy: 'Always',
                name: 'delegate',
                securityContext: { allowPrivilegeEscalation: false, runAsUser: 0 },
                ports: [{ containerPort: 8080 }],
                resources: { limits: { memory: '2048Mi' }, requests: { cpu: '0.5', memory: '2048Mi' } },
                livenessProbe: {
                  httpGet: { path: '/api/health', port: 3460, scheme: 'HTTP' },
                  initialDelaySeconds: 10,
                  periodSeconds: 60,
                  failureThreshold: 5,
                },
                startupProbe: {
                  httpGet: { path: '/api/health', port: 3460, scheme: 'HTTP' },
                  initialDelaySeconds: 30,
                  periodSeconds: 10,
                  failureThreshold: 15,
                },
                envFrom: [{ secretRef: { name: `${name}-account-token` } }],
                env,
                ...(trustedCa ? { volumeMounts: [{ name: 'ca-bundle', mountPath: `${CA_BUNDLE_DIR}/`, readOnly: true }] } : {}),
              },
            ],
            ...(trustedCa ? { volumes: [{ name: 'ca-bundle', secret: { secretName: `${name}-ca-bundle` } }] } : {}),
          },
        },
      },
    },
    {
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'upgrader-cronjob', namespace: ns },
      rules: [
        { apiGroups: ['batch', 'apps', 'extensions'], resources: ['cronjobs'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { apiGroups: ['extensions', 'apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
      ],
    },
    {
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: `${name}-upgrader-cronjob`, namespace: ns },
      subjects: [{ kind: 'ServiceAccount', name: 'upgrader-cronjob-sa', namespace: ns }],
      roleRef: { kind: 'Role', name: 'upgrader-cronjob', apiGroup: '' },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'upgrader-cronjob-sa', namespace: ns } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-upgrader-token`, namespace: ns }, type: 'Opaque', data: { UPGRADER_TOKEN: data } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-upgrader-config`, namespace: ns }, data: { 'config.yaml': upgraderConfig } },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { labels: { 'harness.io/name': `${name}-upgrader-job` }, name: `${name}-upgrader-job`, namespace: ns },
      spec: {
        schedule: '0 */1 * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 20,
        jobTemplate: {
          spec: {
            template: {
              spec: {
                serviceAccountName: 'upgrader-cronjob-sa',
                restartPolicy: 'Never',
                containers: [
                  {
                    image: 'harness/upgrader:latest',
                    name: 'upgrader',
                    imagePullPolicy: 'Always',
                    envFrom: [{ secretRef: { name: `${name}-upgrader-token` } }],
                    volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config' }],
                  },
                ],
                volumes: [{ name: 'config-volume', configMap: { name: `${name}-upgrader-config` } }],
              },
            },
          },
        },
      },
    },
  ];
}

/** harness-delegate.yaml for `kubectl apply`. */
export function generateKubernetes(a: HarnessAnswers, token: string, trustedCa?: string): Result<Generated> {
  const text = toYaml(
    documents(a, token, trustedCa),
    `Harness delegate "${a.delegateName}" for Kubernetes, generated by Agent Onboard.\nHolds the delegate token (Secrets ${a.delegateName}-account-token and ${a.delegateName}-upgrader-token): keep it private.`,
  );
  const { how } = secretDataValue(token);
  return ok({
    files: [{ path: MANIFEST_FILE, text, mode: 0o600, secret: true, description: 'Namespace, Secrets, delegate Deployment and upgrader CronJob' }],
    commands: [
      { title: 'Install the delegate', command: `kubectl apply -f ${MANIFEST_FILE}` },
      { title: 'Wait until it is up', command: `kubectl rollout status deployment/${a.delegateName} -n ${a.namespace} --timeout=10m` },
      { title: 'Watch its log', command: `kubectl logs deployment/${a.delegateName} -n ${a.namespace} -c delegate --tail=100 -f` },
    ],
    notes: [
      ...commonNotes(a),
      `The token is in the Secrets' data field (${how}); the upgrader's Secret holds the same token as UPGRADER_TOKEN.`,
      `The default service account of ${a.namespace} is bound to cluster-admin, as in Harness's template; narrow the ClusterRoleBinding if the delegate needs less.`,
      'The container must stay named "delegate": the upgrader patches the container of that name in the Deployment named in its config.',
    ],
  });
}
