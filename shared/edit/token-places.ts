/**
 * Where a token lives in YAML that runs agents — Kubernetes manifests, Docker Compose files,
 * Helm values with env lists — found by walking the parsed documents:
 * - a Secret's `data` (base64) or `stringData` entry named like the token variable,
 * - an env list item `{name: TOKEN_VAR, value: …}` (Deployments, CronJobs, Helm `custom_envs`),
 * - a mapping entry `TOKEN_VAR: …` (Compose `environment:`, ConfigMap data),
 * - a list item `TOKEN_VAR=…` (Compose `environment:` as a list).
 * Values that come from elsewhere (`valueFrom`, `${VAR}`) are reported as notes, not edited.
 */
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { getNode, getScalar, type YamlDoc, type YamlSet } from './yaml';

/** A workload (Deployment, StatefulSet, DaemonSet…) and the token sources its containers use. */
export interface Workload {
  kind: string;
  name: string;
  namespace?: string;
  /** Containers that take the token: the variable, and the Secret and key it comes from when known. */
  containers: { container: string; envName: string; secret?: string; secretKey?: string }[];
}

export interface YamlTokenScan {
  sets: YamlSet[];
  notes: string[];
  workloads: Workload[];
  secrets: { name: string; namespace?: string; keys: string[] }[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob']);

function str(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

/** True when a scalar's text expands at deploy time (${VAR}, $(VAR)) instead of holding a value. */
function isReference(value: string): boolean {
  return /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{.*\}\}/.test(value);
}

/** The containers of a workload document (pod template, CronJob job template, or Pod spec). */
function containersOf(doc: unknown): unknown[] {
  const spec = getNode(doc, 'spec');
  const podSpecs = [
    getNode(getNode(spec, 'template'), 'spec'),
    getNode(getNode(getNode(getNode(getNode(spec, 'jobTemplate'), 'spec'), 'template'), 'spec'), 'spec'),
    getNode(getNode(getNode(getNode(spec, 'jobTemplate'), 'spec'), 'template'), 'spec'),
    spec,
  ];
  for (const ps of podSpecs) {
    const list = getNode(ps, 'containers');
    if (isSeq(list)) return [...list.items, ...(isSeq(getNode(ps, 'initContainers')) ? (getNode(ps, 'initContainers') as { items: unknown[] }).items : [])];
  }
  return [];
}

/**
 * Scans parsed YAML documents for the token variables `names` and plans setting each literal
 * occurrence to `token` (Secret `data` through `encodeData`).
 */
export function scanYamlTokens(
  docs: YamlDoc[],
  names: readonly string[],
  token: string,
  encodeData: (token: string) => { value: string; how: string },
): YamlTokenScan {
  const scan: YamlTokenScan = { sets: [], notes: [], workloads: [], secrets: [] };
  const wanted = new Set(names);
  const seen = new Set<Scalar>();
  const set = (node: Scalar, value: string, what: string): void => {
    if (seen.has(node)) return;
    seen.add(node);
    scan.sets.push({ node, value, what });
  };

  const walk = (node: unknown, where: string, parentKey: string | undefined, secretDoc: boolean): void => {
    if (isMap(node)) {
      const nameNode = getScalar(node, 'name');
      const name = str(nameNode);
      if (name && wanted.has(name) && node.items.some((p) => str(p.key) === 'value' || str(p.key) === 'valueFrom')) {
        const value = getNode(node, 'value');
        const valueFrom = getNode(node, 'valueFrom');
        if (isScalar(value) && typeof value.value === 'string' && isReference(value.value))
          scan.notes.push(`${name} in ${where} is "${value.value}", set when it is deployed: rotate it where that comes from.`);
        else if (isScalar(value)) set(value, token, `${name} in ${where}`);
        else if (valueFrom) {
          const ref = getNode(valueFrom, 'secretKeyRef');
          scan.notes.push(
            ref
              ? `${name} in ${where} comes from Secret ${str(getNode(ref, 'name')) ?? '?'} (key ${str(getNode(ref, 'key')) ?? '?'}).`
              : `${name} in ${where} comes from valueFrom, not from this file.`,
          );
        }
      }
      for (const pair of node.items) {
        const key = str(pair.key);
        if (key && wanted.has(key) && !(secretDoc && (parentKey === 'data' || parentKey === 'stringData'))) {
          if (isScalar(pair.value) && typeof pair.value.value === 'string' && isReference(pair.value.value))
            scan.notes.push(`${key} in ${where} is "${pair.value.value}", set when it is deployed: rotate it where that comes from.`);
          else if (isScalar(pair.value)) set(pair.value, token, `${key} in ${where}`);
          else if (pair.value === null || pair.value === undefined) scan.notes.push(`${key} in ${where} has no value; set it by hand.`);
        }
        walk(pair.value, where, key, secretDoc);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (parentKey === 'environment' && isScalar(item) && typeof item.value === 'string') {
          const eq = item.value.indexOf('=');
          const key = eq > 0 ? item.value.slice(0, eq) : item.value;
          if (wanted.has(key)) {
            if (eq < 0) scan.notes.push(`${key} in ${where} is passed through from the environment of docker compose: rotate it there.`);
            else if (isReference(item.value.slice(eq + 1)))
              scan.notes.push(`${key} in ${where} is "${item.value.slice(eq + 1)}", set when it is deployed: rotate it where that comes from.`);
            else set(item, `${key}=${token}`, `${key} in ${where}`);
          }
        }
        walk(item, where, parentKey, secretDoc);
      }
    }
  };

  docs.forEach((doc, index) => {
    const root = doc.contents;
    const kind = str(getNode(root, 'kind'));
    const meta = getNode(root, 'metadata');
    const name = str(getNode(meta, 'name'));
    const namespace = str(getNode(meta, 'namespace'));
    const where = kind && name ? `${kind} ${name}` : docs.length > 1 ? `document ${index + 1}` : 'this file';
    if (kind === 'Secret') {
      const keys: string[] = [];
      for (const field of ['data', 'stringData'] as const) {
        const map = getNode(root, field);
        if (!isMap(map)) continue;
        for (const pair of map.items) {
          const key = str(pair.key);
          if (!key || !wanted.has(key)) continue;
          keys.push(key);
          if (!isScalar(pair.value)) {
            scan.notes.push(`${key} in ${where} ${field} has no value; set it by hand.`);
            continue;
          }
          if (field === 'data') {
            const enc = encodeData(token);
            set(pair.value, enc.value, `${key} in ${where} data (${enc.how})`);
          } else set(pair.value, token, `${key} in ${where} stringData`);
        }
      }
      if (name) scan.secrets.push({ name, ...(namespace ? { namespace } : {}), keys });
    }
    if (kind && name && WORKLOAD_KINDS.has(kind))
      scan.workloads.push({ kind, name, ...(namespace ? { namespace } : {}), containers: tokenContainers(root, wanted) });
    walk(root, where, undefined, kind === 'Secret');
  });
  // A container that takes a whole Secret (envFrom) gets the token variables that Secret holds.
  for (const w of scan.workloads) {
    w.containers = w.containers.flatMap((c) => {
      if (c.envName) return [c];
      const keys = scan.secrets.find((s) => s.name === c.secret)?.keys ?? [];
      return keys.map((k) => ({ ...c, envName: k, secretKey: k }));
    });
  }
  return scan;
}

/** The containers of a workload that take one of the token variables, and from where. */
function tokenContainers(root: unknown, wanted: Set<string>): Workload['containers'] {
  const out: Workload['containers'] = [];
  for (const c of containersOf(root)) {
    const container = str(getNode(c, 'name')) ?? 'main';
    const envFrom = getNode(c, 'envFrom');
    if (isSeq(envFrom)) {
      for (const e of envFrom.items) {
        const secret = str(getNode(getNode(e, 'secretRef'), 'name'));
        if (secret) out.push({ container, envName: '', secret });
      }
    }
    const env = getNode(c, 'env');
    if (!isSeq(env)) continue;
    for (const e of env.items) {
      const envName = str(getNode(e, 'name'));
      if (!envName || !wanted.has(envName)) continue;
      const ref = getNode(getNode(e, 'valueFrom'), 'secretKeyRef');
      const secret = str(getNode(ref, 'name'));
      const secretKey = str(getNode(ref, 'key'));
      out.push({ container, envName, ...(secret ? { secret } : {}), ...(secretKey ? { secretKey } : {}) });
    }
  }
  return out;
}
