import { ERROR_TITLES, type AppError } from '../../shared/result';
import { CodeText } from './CodeText';

/** The one error note: a failed Result for people — what happened, and what to do next (nothing when there is no error). */
export function ErrorNote({
  error,
  id,
  testId,
}: {
  error: Pick<AppError, 'code' | 'message' | 'hint'> | null | undefined;
  id?: string;
  testId?: string;
}): React.JSX.Element | null {
  if (!error) return null;
  return (
    <div className="error-note" role="alert" id={id} data-testid={testId}>
      <strong>{ERROR_TITLES[error.code]}.</strong> {error.message}
      {error.hint ? (
        <p className="hint">
          <CodeText text={error.hint} />
        </p>
      ) : null}
    </div>
  );
}
