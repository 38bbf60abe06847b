/**
 * A Bamboo server as the probe recognises it: `GET <server>/rest/api/latest/info`, Bamboo's
 * server-info resource answering JSON with `version` and `buildNumber` (Bamboo REST API;
 * `RestBambooInfo`); where anonymous access is off, Atlassian's Seraph login filter refuses it
 * with 401 and an `X-Seraph-LoginReason` header, which still says an Atlassian server answered.
 */
import { isJsonObject } from '../endpoints';
import type { VendorServiceSpec } from '../types';

export const bambooServer: VendorServiceSpec = {
  id: 'bamboo-server',
  name: 'a Bamboo server',
  path: '/rest/api/latest/info',
  judge({ status, headers, body }) {
    if (status === 200 && isJsonObject(body) && typeof body.version === 'string' && 'buildNumber' in body)
      return { looksLike: true, why: `Bamboo ${body.version.slice(0, 20)} (build ${String(body.buildNumber).slice(0, 20)})` };
    const login = headers['x-seraph-loginreason'];
    if ((status === 401 || status === 403) && login)
      return { looksLike: true, why: `an Atlassian server asking for a login (${status}, X-Seraph-LoginReason: ${login.slice(0, 40)})` };
    return {
      looksLike: false,
      why: `expected JSON with version and buildNumber (or an Atlassian login refusal), got ${status}${isJsonObject(body) ? ' with other JSON' : ' without JSON'}`,
    };
  },
};
