import { ERROR_TITLES, type AppError } from '../../../shared/result';
import { CodeText } from '../CodeText';

/** A failed Result for people: what happened, and what to do next. */
export function ErrorNote({ error, id }: { error: AppError; id?: string }): React.JSX.Element {
  return (
    <div className="error-note" role="alert" id={id}>
      <strong>{ERROR_TITLES[error.code]}.</strong> {error.message}
      {error.hint ? (
        <p className="hint">
          <CodeText text={error.hint} />
        </p>
      ) : null}
    </div>
  );
}
