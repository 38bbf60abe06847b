/** GitLab Runner in the renderer: the Details step says what a glrt- token leaves to GitLab (tags, locked, run untagged). */
import type { RendererPlatform } from '../types';
import { gitlabDetailsStep } from './SetInGitlab';

export const gitlabRunnerView: RendererPlatform = {
  steps: { details: gitlabDetailsStep },
};
