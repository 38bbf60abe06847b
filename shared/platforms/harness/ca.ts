/** How a Harness delegate trusts a company CA. */

/** The company-CA note for a Harness delegate (the generated manifests already mount it). */
export function harnessCaNotes(): string[] {
  return [
    `Harness delegates (image 23.10.81202 or later) load PEM certificates from \`/opt/harness-delegate/ca-bundle/\` when started as root. The generated Kubernetes manifest, Helm install and Docker script already mount the company CA there; for ECS and shell installs, add it as Harness's guide shows (https://developer.harness.io/docs/platform/delegates/secure-delegates/install-delegates-with-custom-certs).`,
  ];
}
