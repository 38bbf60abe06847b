/**
 * Does an HTTP answer look like the vendor service the agent will talk to? Any TLS server passes
 * a plain HTTPS check, so the probe asks each vendor endpoint one documented, unauthenticated
 * question and compares the answer with what that service is known to send back. The services,
 * their questions and the rules that read the answers (with their sources) are the platforms'
 * (`Platform.services`); an endpoint names its service by id.
 *
 * Pure: the probe (main/services/probe) fetches; this judges.
 */
import { vendorService } from './platforms';
import { servicePath } from './platforms/endpoints';

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

/** True when a registered platform has a vendor service with this id. */
export function isVendorService(id: string): boolean {
  return vendorService(id) !== undefined;
}

/** Whether the answer to the service's check path looks like that service, in one sentence. */
export function judgeVendorAnswer(service: string, path: string, answer: VendorAnswer): VendorJudgement {
  const spec = vendorService(service);
  if (!spec) return { looksLike: false, detail: `answered, but the app knows no vendor service "${service}" to compare it with` };
  const { looksLike, why } = spec.judge({ status: answer.status, headers: answer.headers, body: json(answer.body) });
  return { looksLike, detail: looksLike ? `answered like ${spec.name}: GET ${path} → ${why}` : `answered, but not like ${spec.name}: GET ${path} → ${why}` };
}

/** The path the probe asks: the endpoint's own path (e.g. /v3) followed by the service's check path. */
export function vendorCheckPath(service: string, basePath: string | undefined): string {
  const spec = vendorService(service);
  return spec ? servicePath(spec, basePath) : (basePath ?? '/');
}
