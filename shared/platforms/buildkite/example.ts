import type { PlatformExample } from '../types';

/** For the conformance suite: install files the user wrote by hand from Buildkite's docs (the app writes neither). */
export const example: PlatformExample = {
  installed: {
    'buildkite-systemd': {
      file: 'buildkite-agent.service',
      token: 'oldtokenoldtoken',
      text: '[Unit]\nDescription=agent\n[Service]\nEnvironment="BUILDKITE_AGENT_TOKEN=oldtokenoldtoken"\nEnvironment=BUILDKITE_AGENT_NAME=ci\nExecStart=/usr/bin/buildkite-agent start\n',
    },
    'buildkite-script': {
      file: 'start-agent.sh',
      token: 'oldtokenoldtoken',
      text: '#!/usr/bin/env bash\nset -eu\ndocker run -d -e BUILDKITE_AGENT_TOKEN=oldtokenoldtoken buildkite/agent:3\nbuildkite-agent start --token "oldtokenoldtoken"\nhelm upgrade --install agent-stack-k8s oci://ghcr.io/buildkite/helm/agent-stack-k8s --set agentToken=oldtokenoldtoken\n',
    },
  },
};
