/**
 * Does an HTTP answer look like the vendor service the agent will talk to? Any TLS server passes
 * a plain HTTPS check, so the probe asks each vendor endpoint one documented, unauthenticated
 * question and compares the answer with what that service is known to send back:
 *
 * - Buildkite Agent API: `GET <endpoint>/ping` without a token. The agent's API client reads
 *   every error body as JSON `{"message": "…"}` (buildkite/agent `api/client.go`, ErrorResponse),
 *   so the API refuses it with 401 and such a body.
 * - Harness manager: `GET <manager>/api/version`, a public resource of the manager
 *   (harness-core `VersionInfoResource`, `@PublicApi`) answering 200 with Harness's RestResponse
 *   wrapper: JSON `{"metaData": …, "resource": {…}, "responseMessages": […]}`.
 * - Bamboo server: `GET <server>/rest/api/latest/info`, Bamboo's server-info resource answering
 *   JSON with `version` and `buildNumber` (Bamboo REST API; `RestBambooInfo`); where anonymous
 *   access is off, Atlassian's Seraph login filter refuses it with 401 and an
 *   `X-Seraph-LoginReason` header, which still says an Atlassian server answered.
 *
 * Pure: the probe (main/services/probe) fetches; this judges.
 */

export const VENDOR_SERVICES = ['buildkite-agent-api', 'harness-manager', 'bamboo-server'] as const;
export type VendorService = (typeof VENDOR_SERVICES)[number];

/** The service's name in sentences, and the path (below the endpoint's own path) the probe asks. */
export const VENDOR_CHECKS: Record<VendorService, { name: string; path: string }> = {
  'buildkite-agent-api': { name: "Buildkite's Agent API", path: '/ping' },
  'harness-manager': { name: 'the Harness manager', path: '/api/version' },
  'bamboo-server': { name: 'a Bamboo server', path: '/rest/api/latest/info' },
};

/** What came back: status, headers (lower-case names) and the start of the body as text. */
export interface VendorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface VendorJudgement {
  looksLike: boolean;
  /** One sentence: what was asked, and what the answer looked like. */
  detail: string;
}

function json(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function judge(service: VendorService, a: VendorAnswer): { looksLike: boolean; why: string } {
  const body = json(a.body);
  switch (service) {
    case 'buildkite-agent-api':
      if (a.status === 401 && isObject(body) && typeof body.message === 'string') return { looksLike: true, why: `refused without a token: 401 {"message": ${JSON.stringify(body.message.slice(0, 80))}}` };
      return { looksLike: false, why: `expected 401 with a JSON {"message"} body, got ${a.status}${isObject(body) ? ' with other JSON' : ' without JSON'}` };
    case 'harness-manager':
      if (a.status === 200 && isObject(body) && 'resource' in body && Array.isArray(body.responseMessages)) return { looksLike: true, why: "200 with Harness's RestResponse JSON (resource, responseMessages)" };
      return { looksLike: false, why: `expected 200 with Harness's RestResponse JSON, got ${a.status}${isObject(body) ? ' with other JSON' : ' without JSON'}` };
    case 'bamboo-server':
      if (a.status === 200 && isObject(body) && typeof body.version === 'string' && 'buildNumber' in body) return { looksLike: true, why: `Bamboo ${body.version.slice(0, 20)} (build ${String(body.buildNumber).slice(0, 20)})` };
      if ((a.status === 401 || a.status === 403) && a.headers['x-seraph-loginreason']) return { looksLike: true, why: `an Atlassian server asking for a login (${a.status}, X-Seraph-LoginReason: ${a.headers['x-seraph-loginreason'].slice(0, 40)})` };
      return { looksLike: false, why: `expected JSON with version and buildNumber (or an Atlassian login refusal), got ${a.status}${isObject(body) ? ' with other JSON' : ' without JSON'}` };
  }
}

/** Whether the answer to the service's check path looks like that service, in one sentence. */
export function judgeVendorAnswer(service: VendorService, path: string, answer: VendorAnswer): VendorJudgement {
  const { name } = VENDOR_CHECKS[service];
  const { looksLike, why } = judge(service, answer);
  return { looksLike, detail: looksLike ? `answered like ${name}: GET ${path} → ${why}` : `answered, but not like ${name}: GET ${path} → ${why}` };
}

/** The path the probe asks: the endpoint's own path (e.g. /v3) followed by the service's check path. */
export function vendorCheckPath(service: VendorService, basePath: string | undefined): string {
  return `${(basePath ?? '').replace(/\/+$/, '')}${VENDOR_CHECKS[service].path}`;
}
