/** What every platform that runs its agent in a container must tell about addresses. */

/** A host that inside a container means the container itself, not the Docker host. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0';
}

/** The note for URLs whose host is loopback: inside the container that is the container. */
export function loopbackNote(urls: (string | undefined)[]): string[] {
  const hosts = [
    ...new Set(
      urls
        .filter((u): u is string => Boolean(u))
        .map((u) => new URL(u).hostname.replace(/^\[|\]$/g, ''))
        .filter(isLoopbackHost),
    ),
  ];
  if (hosts.length === 0) return [];
  return [
    `${hosts.join(', ')} inside the container is the container itself, not the Docker host: use the host's name or address (or host.docker.internal with --add-host=host.docker.internal:host-gateway).`,
  ];
}

/** The shell line that makes a Kubernetes namespace when it is not there yet (and changes nothing when it is). */
export function createNamespaceLine(namespace: string): string {
  return `kubectl create namespace ${namespace} --dry-run=client -o yaml | kubectl apply -f -`;
}

/** The same as a command to show, with its title. */
export function createNamespaceCommand(namespace: string): { title: string; command: string } {
  return { title: 'Create the namespace (if it is not there yet)', command: createNamespaceLine(namespace) };
}
