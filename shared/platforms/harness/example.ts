import type { PlatformExample } from '../types';

const OLD = 'b2xkLXRva2VuLW9mLXRoZS1hZ2VudC0wMDAx';

/** For the conformance suite: install files from Harness's own install pages (the app writes neither). */
export const example: PlatformExample = {
  installed: {
    'harness-compose': {
      file: 'docker-compose.yml',
      token: OLD,
      text: `services:\n  delegate:\n    image: harness/delegate:26.02.88404\n    environment:\n      - DELEGATE_NAME=d\n      - DELEGATE_TOKEN=${OLD}\n`,
    },
    'harness-helm': {
      file: 'values.yaml',
      token: OLD,
      text: `delegateName: d\naccountId: acc\ndelegateToken: ${OLD}\nmanagerEndpoint: https://app.harness.io\nupgrader:\n  enabled: true\n`,
    },
    'harness-script': {
      file: 'install.sh',
      token: OLD,
      text: `#!/usr/bin/env bash\nset -eu\ndocker run -d -e DELEGATE_NAME=d -e DELEGATE_TOKEN=${OLD} harness/delegate:26.02.88404\nhelm upgrade -i d --namespace harness-delegate-ng harness-delegate/harness-delegate-ng --set delegateName=d --set delegateToken=${OLD}\n`,
    },
  },
};
