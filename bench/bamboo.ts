// Bamboo: the wrapper.conf token edit against a bare regex replace of the same line, and on a
// 10,000-line file against a real-sized one (it should grow linearly); the SCP analysis (every
// launch resource, both fixes re-simulated) against one bare iam-simulate call, and with the hop
// limit search at its worst (64) against a short one. Same process, ratios only, never asserts.
//   npx tsx bench/bamboo.ts
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { checkScps } from '../main/platforms/bamboo-elastic/scp-check';
import { setSecurityToken } from '../shared/platforms/bamboo-remote/wrapper-conf';
import { BAMBOO_ROLE, SEED_POLICY, text } from '../test/support/scp-policies';
import { timeAsync, timeSync } from './timing';

const TOKEN = 'f3defca0b1dee4b665fa7471cfe2899d524722f9';

const lines = (n: number): string =>
  [
    '#encoding=UTF-8',
    'wrapper.java.mainclass=org.tanukisoftware.wrapper.WrapperSimpleApp',
    ...Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `# comment ${i}` : `wrapper.java.additional.${i + 1}=-Dprop${i}=value${i}`)),
    'wrapper.app.parameter.1=com.atlassian.bamboo.agent.bootstrap.AgentBootstrap',
    'wrapper.app.parameter.2=https://bamboo.example.com/agentServer/',
    'wrapper.app.parameter.3=0123456789abcdef0123456789abcdef01234567',
    'wrapper.name=bamboo-remote-agent',
    '',
  ].join('\r\n');

const small = lines(60);
const big = lines(10_000);
const edit = (t: string) => () => {
  if (!setSecurityToken(t, TOKEN).ok) throw new Error('edit failed');
};
const naive = (t: string) => () => {
  t.replace(/^wrapper\.app\.parameter\.3=.*$/m, `wrapper.app.parameter.3=${TOKEN}`);
};
const editSmall = timeSync(2000, edit(small));
const naiveSmall = timeSync(2000, naive(small));
const editBig = timeSync(50, edit(big));
console.log(
  `wrapper.conf edit (${small.split('\n').length} lines): ${(editSmall * 1000).toFixed(1)} µs = ${(editSmall / naiveSmall).toFixed(1)}× a bare regex replace (which keeps nothing safe)`,
);
console.log(
  `wrapper.conf edit, ${big.split('\n').length} lines vs ${small.split('\n').length}: ${(editBig / editSmall).toFixed(1)}× the time for ${(big.length / small.length).toFixed(1)}× the text (linear when these are close)`,
);

const seed = text(SEED_POLICY);
const fullAccess = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const bare = await timeAsync(20, async () => {
  await runSimulation(
    {
      request: {
        principal: BAMBOO_ROLE,
        action: 'ec2:RunInstances',
        resource: { resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0', accountId: '123456789012' },
        contextVariables: { 'ec2:MetadataHttpTokens': 'optional' },
      },
      identityPolicies: [{ name: 'allow', policy: fullAccess }],
      serviceControlPolicies: [
        {
          orgIdentifier: 'o',
          policies: [
            { name: 'FullAWSAccess', policy: fullAccess },
            { name: 'seed', policy: SEED_POLICY },
          ],
        },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
});
const check = (hopLimit: number) => async () => {
  const r = await checkScps({ policies: [{ name: 'seed', text: seed }], principalArn: BAMBOO_ROLE, httpTokens: 'optional', hopLimit });
  if (!r.ok || r.value.verdict !== 'denied') throw new Error('unexpected verdict');
};
const denied4 = await timeAsync(5, check(4));
const denied64 = await timeAsync(5, check(64));
console.log(`one bare iam-simulate call: ${bare.toFixed(1)} ms`);
console.log(`scp-check, denied, both fixes (hop 4): ${denied4.toFixed(0)} ms = ${(denied4 / bare).toFixed(0)}× one call`);
console.log(`scp-check, hop limit search from 64: ${denied64.toFixed(0)} ms = ${(denied64 / denied4).toFixed(1)}× the search from 4`);
