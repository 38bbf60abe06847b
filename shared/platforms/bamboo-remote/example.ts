import type { PlatformExample } from '../types';

/**
 * For the conformance suite: an agent home's wrapper.conf as Bamboo's installer writes it (the app
 * never generates one), and the installer jar the user downloads from the server (a stand-in).
 */
export const example: PlatformExample = {
  beside: [{ path: 'atlassian-bamboo-agent-installer-9.6.2.jar', text: 'stand-in for the installer jar', mode: 0o644 }],
  installed: {
    'bamboo-wrapper-conf': {
      file: 'conf/wrapper.conf',
      token: '0123456789abcdef0123456789abcdef01234567',
      text: 'wrapper.java.command=java\nwrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp\nwrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap\nwrapper.app.parameter.2=https://bamboo.example.com/agentServer/\nwrapper.app.parameter.3=0123456789abcdef0123456789abcdef01234567\n',
    },
  },
};
