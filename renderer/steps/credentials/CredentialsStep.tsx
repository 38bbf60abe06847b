import type { StepProps, StepView } from '../types';

function CredentialsStep({ platform }: StepProps): React.JSX.Element {
  if (!platform) return <p>Choose a platform first.</p>;
  const c = platform.credential;
  if (c.kind === 'ssh-keypair') {
    return (
      <p className="lead">
        {platform.name} authenticates with an SSH key pair ({c.keyTypes.join(' or ')}), written as <code>{c.privateKeyName}</code> and{' '}
        <code>{c.publicKeyName}</code>. The private key stays in the app and in files you choose; it is never shown here.
      </p>
    );
  }
  if (c.kind === 'token') {
    return (
      <p className="lead">
        {platform.name} registers with its {c.token.name}. Where to get it: {c.token.where}
      </p>
    );
  }
  return <p className="lead">{platform.name} needs no credential.</p>;
}

export const credentialsStep: StepView = { Component: CredentialsStep };
