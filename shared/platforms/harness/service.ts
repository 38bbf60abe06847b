/**
 * The Harness manager as the probe recognises it: `GET <manager>/api/version`, a public resource
 * of the manager (harness-core `VersionInfoResource`, `@PublicApi`) answering 200 with Harness's
 * RestResponse wrapper: JSON `{"metaData": …, "resource": {…}, "responseMessages": […]}`.
 */
import { isJsonObject } from '../endpoints';
import type { VendorServiceSpec } from '../types';

export const harnessManager: VendorServiceSpec = {
  id: 'harness-manager',
  name: 'the Harness manager',
  path: '/api/version',
  judge({ status, body }) {
    if (status === 200 && isJsonObject(body) && 'resource' in body && Array.isArray(body.responseMessages))
      return { looksLike: true, why: "200 with Harness's RestResponse JSON (resource, responseMessages)" };
    return {
      looksLike: false,
      why: `expected 200 with Harness's RestResponse JSON, got ${status}${isJsonObject(body) ? ' with other JSON' : ' without JSON'}`,
    };
  },
};
