/**
 * GitLab Runner's Details step: the generic fields, then what a runner authentication token
 * (glrt-) fixes in GitLab itself. Tags, "locked" and "run untagged" are shown as set in GitLab,
 * not offered: passing them to `gitlab-runner register` with a glrt- token is fatal.
 */
import { detailsStep } from '../../steps/details/DetailsStep';
import type { StepProps, StepView } from '../../steps/types';

const SET_IN_GITLAB = [
  { name: 'Tags', why: 'which jobs the runner picks up' },
  { name: 'Locked', why: 'whether other projects may use it' },
  { name: 'Run untagged jobs', why: 'whether it takes jobs without tags' },
];

function GitlabDetails(props: StepProps): React.JSX.Element {
  const Generic = detailsStep.Component;
  return (
    <>
      <Generic {...props} />
      <section className="probe-panel" aria-labelledby="set-in-gitlab-heading" data-testid="set-in-gitlab">
        <h2 id="set-in-gitlab-heading">Set in GitLab</h2>
        <p className="help">
          With a runner authentication token (<code>glrt-…</code>) these belong to the runner you created in GitLab (Settings → CI/CD → Runners, or the Admin
          area). <code>gitlab-runner register</code> refuses them with such a token, so they are not asked here; change them in GitLab, where they take effect
          without touching the host.
        </p>
        <dl className="set-in-gitlab">
          {SET_IN_GITLAB.map((s) => (
            <div key={s.name}>
              <dt>{s.name}</dt>
              <dd>
                set in GitLab <span className="muted">({s.why})</span>
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}

export const gitlabDetailsStep: StepView = { ...detailsStep, Component: GitlabDetails };
