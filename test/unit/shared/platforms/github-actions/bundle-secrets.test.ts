/**
 * A runner folder packed into a bundle: the runner's private key (.credentials_rsaparams, .NET
 * RSAParameters as JSON, no PEM header) and its OAuth client registration (.credentials) are
 * secret by what they hold, whatever their names, so the secret-bundle rules apply to them.
 */
import { describe, expect, it } from 'vitest';
import { classifySecret } from '../../../../../main/services/bundle/collect';
import { isPrivateKeyText } from '../../../../../shared/bundle';

// Shapes from actions/runner RSAFileKeyManager (RSAParametersSerializable) and ConfigurationStore; our own values.
const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
const RSAPARAMS = JSON.stringify({
  d: b64(256),
  dp: b64(128),
  dq: b64(128),
  exponent: 'AQAB',
  inverseQ: b64(128),
  modulus: b64(256),
  p: b64(128),
  q: b64(128),
});
const CREDENTIALS =
  '{\n  "scheme": "OAuth",\n  "data": {\n    "clientId": "6f4d1e5a-0000-4000-8000-000000000001",\n    "authorizationUrl": "https://vstoken.actions.githubusercontent.com/_apis/oauth2/token/x",\n    "requireFipsCryptography": "True"\n  }\n}';

describe('runner state files in a bundle', () => {
  it('.credentials_rsaparams is a private key by its content, under any name and mode', () => {
    expect(isPrivateKeyText(RSAPARAMS)).toBe(true);
    expect(classifySecret({ path: 'renamed.json', mode: 0o644, text: RSAPARAMS })).toEqual({ secret: true, because: ['a private key'] });
  });

  it('.credentials is kept under the secret rules too', () => {
    expect(classifySecret({ path: 'x.json', mode: 0o644, text: CREDENTIALS })).toEqual({ secret: true, because: ["an agent's OAuth client registration"] });
  });

  it('.runner and ordinary JSON with a "d" key are not secret', () => {
    expect(classifySecret({ path: '.runner', mode: 0o644, text: '{"agentId":1,"agentName":"a","gitHubUrl":"https://github.com/o"}' }).secret).toBe(false);
    expect(isPrivateKeyText('{"d":"short","inverseQ":"x"}')).toBe(false);
  });
});
