/** How the Buildkite agent trusts a company CA. */

/** The company-CA note for the Buildkite agent, `file` being the PEM on the agent host. */
export function buildkiteCaNotes(file: string): string[] {
  return [
    `The Buildkite agent (a Go program) trusts the system store, or the file named by \`SSL_CERT_FILE\`: in a container, mount \`${file}\` and set \`SSL_CERT_FILE\` to a bundle that holds it together with the public CAs.`,
  ];
}
