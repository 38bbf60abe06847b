/**
 * The IPC channel of the Bamboo remote agent, joined into the contract by the registry
 * (shared/platforms/index.ts): `bamboo:readWrapper` reads an existing agent's wrapper.conf and says
 * what it found. The answer never carries the token: it is masked.
 */
import { z } from 'zod';

/** What an existing agent's wrapper.conf holds (never the token itself). */
export const wrapperInfoSchema = z.object({
  /** The wrapper.conf read (an agent home resolves to <home>/conf/wrapper.conf). */
  path: z.string(),
  serverUrl: z.string(),
  serverUrlParameter: z.number().int(),
  serverUrlLine: z.number().int(),
  token: z.object({
    form: z.enum(['bare', 'flag']),
    parameter: z.number().int(),
    state: z.enum(['missing', 'empty', 'present']),
    line: z.number().int().optional(),
    masked: z.string().optional(),
  }),
  agentHome: z.string().optional(),
  lineEnding: z.enum(['lf', 'crlf', 'cr']),
  restartCommands: z.array(z.object({ title: z.string(), command: z.string(), os: z.enum(['linux', 'macos', 'windows']).optional() })),
});
export type WrapperInfo = z.infer<typeof wrapperInfoSchema>;

/** The channels. */
export const bambooRemoteChannels = {
  'bamboo:readWrapper': { input: z.object({ path: z.string().trim().min(1, 'is required').max(4096) }), output: wrapperInfoSchema },
};
