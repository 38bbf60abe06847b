/**
 * Connectivity probes: what can be asked (endpoints, options), what comes back (one result per
 * endpoint, with every step that was tested), and the closed set of verdicts with the words a
 * person needs to fix each one. Pure: the probing itself lives in main/services/probe/.
 *
 * verdicts: the codes, their words and the rules over results; schema: requests and results;
 * interception: untrusted certificate → middlebox or private server; proxy-url: proxy URL and
 * NO_PROXY parsing.
 */
export * from './verdicts';
export * from './schema';
export * from './interception';
export * from './proxy-url';
