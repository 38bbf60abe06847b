import type { StepProps, StepView } from '../types';

function ConfigsStep({ draft, update, platform }: StepProps): React.JSX.Element {
  return (
    <>
      <p className="lead">Where the {platform?.name ?? 'agent'} files go. Existing files are backed up before anything is replaced.</p>
      <div className="field">
        <label htmlFor="out-dir">Output folder</label>
        <input id="out-dir" type="text" spellCheck={false} autoComplete="off" value={draft.outDir ?? ''} placeholder="/home/admin/agent-config" onChange={(e) => update({ outDir: e.target.value })} />
      </div>
    </>
  );
}

export const configsStep: StepView = { Component: ConfigsStep };
