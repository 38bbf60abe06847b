/** The one error line every CLI command prints on stderr (one helper instead of a copy per command). */
import { describe, expect, it } from 'vitest';
import { errorLine, errorText } from '../../../../main/cli/types';

describe('errorLine / errorText', () => {
  it('puts the hint after the message, and nothing when there is none', () => {
    expect(errorText({ message: 'The file is missing.', hint: 'Give its path.' })).toBe('The file is missing. Give its path.');
    expect(errorText({ message: 'The file is missing.' })).toBe('The file is missing.');
  });

  it('names the command and folds line breaks (with the spaces around them) into one line', () => {
    expect(errorLine('generate', { message: 'Bad answers:\n  server is empty\n  port is 0', hint: 'Fix them.' })).toBe(
      'agent-onboard generate: Bad answers: server is empty port is 0 Fix them.\n',
    );
    expect(errorLine('rotate', { message: 'No token.' })).toBe('agent-onboard rotate: No token.\n');
  });
});
