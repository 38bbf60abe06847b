/**
 * The main-process registry of platforms: the parts of a platform that need Node (services, IPC
 * handlers, CLI commands) live in main/platforms/<id>/, and only this file lists them. Every other
 * file of main/ works for any platform.
 */
import type { Contract } from '../../shared/ipc';
import type { PlatformChannels } from '../../shared/platforms';
import type { Command as ShellCommand } from '../../shared/platforms/types';
import type { Result } from '../../shared/result';
import type { Command } from '../cli/types';
import type { Handlers } from '../ipc/dispatch';
import type { BundleFile } from '../services/bundle';
import { bambooElasticHandlers, scpAnalysisParts, scpCheckCommand } from './bamboo-elastic';
import { bambooRemoteHandlers } from './bamboo-remote';

/** The handlers of every platform's own IPC channels (shared/platforms/<id>/contract.ts). */
export function platformHandlers(): Handlers<Pick<Contract, keyof PlatformChannels>> {
  return { ...bambooRemoteHandlers(), ...bambooElasticHandlers() };
}

/** The CLI commands platforms add (`scp-check`). */
export const PLATFORM_COMMANDS: Command[] = [scpCheckCommand];

/** What an analysis platform's bundle holds: its report, fixes and patches, from the draft's answers. */
export type AnalysisParts = (answers: unknown, signal?: AbortSignal) => Promise<Result<{ files: BundleFile[]; commands: ShellCommand[]; notes: string[] }>>;

const ANALYSES: Partial<Record<string, AnalysisParts>> = { 'bamboo-elastic': scpAnalysisParts };

/** The analysis of a platform whose outcome is an analysis (`Platform.analysis`), or undefined. */
export function analysisParts(platform: string): AnalysisParts | undefined {
  return ANALYSES[platform];
}
