import { useEffect, useId, useRef, useState } from 'react';
import type { ActionVerdict, DecidingStatement, ScpReport } from '../../../shared/platforms/bamboo-elastic/contract';
import type { Draft } from '../../../shared/ipc';
import { bambooElasticAnswers, type BambooElasticAnswers } from '../../../shared/platforms/bamboo-elastic';
import { parseFailureText, type FailureFacts } from '../../../shared/platforms/bamboo-elastic/failure-text';
import type { AppError } from '../../../shared/result';
import { CopyButton } from '../../components/CopyButton';
import { DiffView } from '../../components/DiffView';
import { ErrorNote } from '../../components/ErrorNote';
import { JobProgress } from '../../components/JobProgress';
import { useJob } from '../../components/useJob';
import { formToAnswers } from '../../wizard';
import type { StepProps, StepView } from '../../steps/types';

const TOKENS_WORDS: Record<string, string> = { required: 'required (IMDSv2 only)', optional: 'optional (IMDSv1 allowed)', absent: 'not sent' };

/** The pasted policies kept in the draft (policies are not secrets). */
function policiesOf(draft: Draft): string[] {
  const list = draft.answers.policies;
  return Array.isArray(list) && list.length > 0 ? list.map((p) => (typeof p === 'string' ? p : '')) : [''];
}

function settingsOf(draft: Draft, platform: StepProps['platform']): { value?: BambooElasticAnswers; problem?: string } {
  if (!platform) return { problem: 'Choose a platform first.' };
  const parsed = bambooElasticAnswers.safeParse(formToAnswers(platform, draft.variant, draft.answers));
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.join('.') || 'Details'}: ${issue?.message ?? 'is not valid'}` };
}

function Conditions({ d }: { d: DecidingStatement }): React.JSX.Element {
  if (d.conditions.length === 0) return <span>none: it always denies</span>;
  return (
    <ul className="scp-conditions">
      {d.conditions.map((c, i) => (
        <li key={i}>
          <code>{c.operator}</code> <code>{c.key}</code> {c.policyValues.map((v) => JSON.stringify(v)).join(', ')}:{' '}
          {c.requestValue === null ? 'the request does not set it' : `the request has ${JSON.stringify(c.requestValue)}`}
        </li>
      ))}
    </ul>
  );
}

function ActionTable({ a }: { a: ActionVerdict }): React.JSX.Element {
  const id = useId();
  return (
    <section className="scp-action" aria-labelledby={id}>
      <h3 id={id}>
        <code>{a.action}</code>: <span className={a.verdict === 'allowed' ? 'scp-ok' : 'scp-bad'}>{a.verdict === 'allowed' ? 'allowed' : 'denied'}</span>
      </h3>
      <table className="scp-table">
        <caption className="sr-only">{a.action} per resource type</caption>
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Verdict</th>
            <th scope="col">Deciding statement</th>
            <th scope="col">Conditions</th>
          </tr>
        </thead>
        <tbody>
          {a.resources.map((r) => (
            <tr key={r.resourceType}>
              <th scope="row">{r.resourceType}</th>
              <td className={r.verdict === 'allowed' ? 'scp-ok' : 'scp-bad'}>
                {r.verdict === 'allowed' ? 'allowed' : r.verdict === 'denied' ? 'denied' : 'denied (no SCP allows it)'}
              </td>
              <td>
                {r.deciding.length === 0 ? '—' : r.deciding.map((d) => `${d.policy}, statement ${d.statementIndex}${d.sid ? ` (${d.sid})` : ''}`).join('; ')}
              </td>
              <td>{r.deciding.length === 0 ? '—' : r.deciding.map((d) => <Conditions key={`${d.policy}-${d.statementIndex}`} d={d} />)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Commands({ commands }: { commands: { title: string; command: string }[] }): React.JSX.Element {
  return (
    <ul className="scp-commands">
      {commands.map((c) => (
        <li key={c.command}>
          <p>{c.title}</p>
          <pre>
            <code>{c.command}</code>
          </pre>
          <CopyButton text={c.command} label={`Copy: ${c.title}`} />
        </li>
      ))}
    </ul>
  );
}

function Fixes({ report }: { report: ScpReport }): React.JSX.Element | null {
  const { imdsv2, exemption } = report.fixes;
  if (!imdsv2 && !exemption) return null;
  return (
    <section aria-labelledby="scp-fixes-h" className="scp-fixes">
      <h2 id="scp-fixes-h">Two ways to fix it</h2>
      {imdsv2 ? (
        <article className="scp-fix" aria-labelledby="scp-fix1-h" data-testid="fix-imdsv2">
          <h3 id="scp-fix1-h">1. Launch with IMDSv2 {imdsv2.works ? '(recommended)' : '(not enough on its own)'}</h3>
          <p>{imdsv2.summary}</p>
          <p className="scp-risk">
            <strong>Risk:</strong> {imdsv2.risk}
          </p>
          <Commands commands={imdsv2.commands} />
        </article>
      ) : null}
      {exemption ? (
        <article className="scp-fix" aria-labelledby="scp-fix2-h" data-testid="fix-exemption">
          <h3 id="scp-fix2-h">2. Exempt Bamboo&apos;s principal {exemption.works ? '' : '(does not work here)'}</h3>
          <p>{exemption.summary}</p>
          <p className="scp-risk">
            <strong>Risk:</strong> {exemption.risk}
          </p>
          {exemption.policies.map((p) => (
            <div key={p.name} className="scp-policy-diff">
              <h4>Policy diff: {p.name}</h4>
              <DiffView diff={p.diff} label={`Changes to ${p.name}`} />
              <CopyButton text={p.text} label={`Copy the new ${p.name}`} />
            </div>
          ))}
          <Commands commands={exemption.commands} />
        </article>
      ) : null}
    </section>
  );
}

function FailurePaste({ draft, update }: Pick<StepProps, 'draft' | 'update'>): React.JSX.Element {
  const id = useId();
  const [text, setText] = useState(typeof draft.answers.failureText === 'string' ? draft.answers.failureText : '');
  // Text handed over (e.g. from the Diagnostics page) is read at once.
  const [first] = useState(() => (text.trim() ? parseFailureText(text) : null));
  const [facts, setFacts] = useState<FailureFacts | null>(first?.ok ? first.value : null);
  const [error, setError] = useState<AppError | null>(first && !first.ok ? first.error : null);
  const read = (): void => {
    const r = parseFailureText(text);
    setFacts(r.ok ? r.value : null);
    setError(r.ok ? null : r.error);
  };
  const use = (): void => {
    if (!facts) return;
    const patch: Record<string, unknown> = {};
    if (facts.principalArn) patch.principalArn = facts.principalArn;
    if (facts.httpTokens) patch.httpTokens = facts.httpTokens;
    if (facts.hopLimit !== undefined) patch.hopLimit = String(facts.hopLimit);
    if (facts.region) patch.region = facts.region;
    update({ answers: { ...draft.answers, ...patch, failureText: text } });
  };
  return (
    <details className="scp-failure" open={Boolean(text)}>
      <summary>Start from the error instead (optional)</summary>
      <div className="field wide">
        <label htmlFor={`${id}-failure`}>Decoded authorization failure, or the agent&apos;s error</label>
        <textarea
          id={`${id}-failure`}
          rows={6}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={`${id}-failure-help`}
        />
        <p className="help" id={`${id}-failure-help`}>
          The output of <code>aws sts decode-authorization-message</code>, or text with &quot;EC2 instance order … failed&quot; /
          &quot;UnauthorizedOperation&quot;.
        </p>
      </div>
      <button type="button" className="secondary" onClick={read}>
        Read it
      </button>
      {error ? <ErrorNote error={error} /> : null}
      {facts ? (
        <div className="scp-facts" role="status">
          <dl>
            {facts.principalArn ? (
              <>
                <dt>Principal</dt>
                <dd>{facts.principalArn}</dd>
              </>
            ) : null}
            {facts.action ? (
              <>
                <dt>Action</dt>
                <dd>{facts.action}</dd>
              </>
            ) : null}
            {facts.httpTokens ? (
              <>
                <dt>HttpTokens</dt>
                <dd>{TOKENS_WORDS[facts.httpTokens]}</dd>
              </>
            ) : null}
            {facts.hopLimit !== undefined ? (
              <>
                <dt>Hop limit</dt>
                <dd>{facts.hopLimit}</dd>
              </>
            ) : null}
            {facts.region ? (
              <>
                <dt>Region</dt>
                <dd>{facts.region}</dd>
              </>
            ) : null}
            {facts.imageId ? (
              <>
                <dt>Image</dt>
                <dd>{facts.imageId}</dd>
              </>
            ) : null}
            <dt>Denied by</dt>
            <dd>
              {facts.likelyScp
                ? 'a service control policy (explicit deny, statement not disclosed)'
                : (facts.deniedBy ?? (facts.explicitDeny ? 'an explicit deny' : 'not said'))}
            </dd>
          </dl>
          {facts.decodeCommand ? (
            <>
              <p>Decode the failure message for the full request context, then paste the result here:</p>
              <pre>
                <code>{facts.decodeCommand}</code>
              </pre>
              <CopyButton text={facts.decodeCommand} label="Copy the decode command" />
            </>
          ) : null}
          {facts.principalArn || facts.httpTokens || facts.region ? (
            <button type="button" onClick={use}>
              Use these settings
            </button>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}

/** The Configs step of bamboo-elastic: the SCP analysis (paste policies, run, see verdicts and fixes). */
function ScpAnalysisStep({ draft, update, platform }: StepProps): React.JSX.Element {
  const id = useId();
  const job = useJob('scp:check');
  const [localError, setLocalError] = useState<AppError | null>(null);
  const results = useRef<HTMLHeadingElement>(null);
  const policies = policiesOf(draft);
  const settings = settingsOf(draft, platform);

  const setPolicies = (next: string[]): void => update({ answers: { ...draft.answers, policies: next } });
  const run = async (): Promise<void> => {
    setLocalError(null);
    if (!settings.value)
      return setLocalError({ code: 'BAD_INPUT', message: settings.problem ?? 'The Details are not complete.', hint: 'Go back to the Details step.' });
    const filled = policies.map((text, i) => ({ name: `Policy ${i + 1}`, text })).filter((p) => p.text.trim());
    if (filled.length === 0) return setLocalError({ code: 'BAD_INPUT', message: 'Paste at least one service control policy first.' });
    const { principalArn, httpTokens, hopLimit, region } = settings.value;
    await job.run({ policies: filled, principalArn, httpTokens, hopLimit, region });
  };
  const report = job.value;
  // Land keyboard and screen-reader users on the verdict once it is on screen.
  useEffect(() => {
    if (report) results.current?.focus();
  }, [report]);

  return (
    <div className="scp-step">
      <p className="lead">
        Paste the service control policies that apply to the account Bamboo launches elastic agents in. The app evaluates <code>ec2:RunInstances</code> and{' '}
        <code>ec2:ModifyInstanceMetadataOptions</code> with the AWS policy simulator and shows what denies them and how to fix it.
      </p>
      {settings.value ? (
        <p className="scp-settings" data-testid="scp-settings">
          Principal <code>{settings.value.principalArn}</code>, HttpTokens {TOKENS_WORDS[settings.value.httpTokens]}, hop limit {settings.value.hopLimit},
          region {settings.value.region} (from the Details step).
        </p>
      ) : (
        <p className="notice" role="status">
          {settings.problem} — fill it in on the Details step, or read it from the error below.
        </p>
      )}
      <FailurePaste draft={draft} update={update} />
      <fieldset className="scp-policies">
        <legend>Service control policies</legend>
        {policies.map((text, i) => (
          <div className="field wide" key={i}>
            <label htmlFor={`${id}-policy-${i}`}>Policy {i + 1} (JSON)</label>
            <textarea
              id={`${id}-policy-${i}`}
              rows={10}
              spellCheck={false}
              value={text}
              onChange={(e) => setPolicies(policies.map((p, j) => (j === i ? e.target.value : p)))}
              aria-describedby={`${id}-policy-help`}
            />
            {policies.length > 1 ? (
              <button type="button" className="secondary small" onClick={() => setPolicies(policies.filter((_, j) => j !== i))}>
                Remove policy {i + 1}
              </button>
            ) : null}
          </div>
        ))}
        <p className="help" id={`${id}-policy-help`}>
          A policy document, or the output of <code>aws organizations describe-policy</code>. Nothing pasted leaves this machine.
        </p>
        <button type="button" className="secondary" onClick={() => setPolicies([...policies, ''])} disabled={policies.length >= 20}>
          Add another policy
        </button>
      </fieldset>
      <p>
        <button type="button" onClick={() => void run()} disabled={job.running}>
          Check the policies
        </button>
      </p>
      <JobProgress label="Policy check" running={job.running} message={job.message} fraction={job.fraction} onCancel={job.cancel} />
      {localError ? <ErrorNote error={localError} /> : null}
      {job.error ? <ErrorNote error={job.error} /> : null}
      {report ? (
        <section aria-labelledby={`${id}-verdict`} className="scp-report">
          <h2 id={`${id}-verdict`} tabIndex={-1} ref={results} data-testid="scp-verdict" className={report.verdict === 'allowed' ? 'scp-ok' : 'scp-bad'}>
            {report.verdict === 'allowed' ? 'Launching elastic agents is allowed' : 'Launching elastic agents is denied'}
          </h2>
          <p role="status" className="sr-only">
            {report.actions.map((a) => a.summary).join(' ')}
          </p>
          {report.actions.map((a) => (
            <ActionTable key={a.action} a={a} />
          ))}
          {report.warnings.map((w) => (
            <p key={w} className="notice">
              {w}
            </p>
          ))}
          <Fixes report={report} />
          <details className="scp-assumptions">
            <summary>What this assumes</summary>
            <ul>
              {report.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}
    </div>
  );
}

export const scpAnalysisStep: StepView = { Component: ScpAnalysisStep };
