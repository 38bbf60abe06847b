/**
 * Buildkite's Agent API as the probe recognises it: `GET <endpoint>/ping` without a token. The
 * agent's API client reads every error body as JSON `{"message": "…"}` (buildkite/agent
 * `api/client.go`, ErrorResponse), so the API refuses it with 401 and such a body.
 */
import { isJsonObject } from '../endpoints';
import type { VendorServiceSpec } from '../types';

export const buildkiteAgentApi: VendorServiceSpec = {
  id: 'buildkite-agent-api',
  name: "Buildkite's Agent API",
  path: '/ping',
  judge({ status, body }) {
    if (status === 401 && isJsonObject(body) && typeof body.message === 'string')
      return { looksLike: true, why: `refused without a token: 401 {"message": ${JSON.stringify(body.message.slice(0, 80))}}` };
    return { looksLike: false, why: `expected 401 with a JSON {"message"} body, got ${status}${isJsonObject(body) ? ' with other JSON' : ' without JSON'}` };
  },
};
