import type { StepProps, StepView } from '../types';
import { KeyCredential } from './KeyCredential';
import { TokenCredential } from './TokenCredential';

function CredentialsStep({ draft, update, platform, showErrors }: StepProps): React.JSX.Element {
  if (!platform) return <p>Choose a platform first.</p>;
  const c = platform.credential;
  if (c.kind === 'ssh-keypair') return <KeyCredential key={platform.id} draft={draft} update={update} platform={platform} spec={c} showErrors={showErrors} />;
  if (c.kind === 'token') return <TokenCredential key={platform.id} draft={draft} update={update} platform={platform} spec={c} showErrors={showErrors} />;
  return <p className="lead">{platform.name} needs no credential.</p>;
}

export const credentialsStep: StepView = {
  Component: CredentialsStep,
  validate: (draft, platform): Record<string, string> => {
    const c = platform?.credential;
    if (!c || c.kind === 'none' || draft.credentialId) return {};
    return { Credential: c.kind === 'ssh-keypair' ? 'generate a key pair or import one' : `paste the ${c.token.name} and check it` };
  },
};
