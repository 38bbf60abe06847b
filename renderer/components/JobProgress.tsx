/** A job's progress bar and message, announced politely; a Cancel button while it runs. */
export function JobProgress({
  label,
  running,
  message,
  fraction,
  onCancel,
}: {
  label: string;
  running: boolean;
  message: string;
  fraction: number | undefined;
  onCancel?: () => void;
}): React.JSX.Element | null {
  if (!running) return null;
  return (
    <div className="job-progress">
      <progress aria-label={label} max={1} value={fraction} />
      <span role="status">{message}</span>
      {onCancel ? (
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
