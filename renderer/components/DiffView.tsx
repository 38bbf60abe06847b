/** The one diff view: a unified diff, each line marked so additions and removals stand out (not by colour alone: the +/- stay). */

/** The class of one line of a unified diff (undefined for context and the ---/+++ header). */
export function diffLineClass(line: string): 'diff-add' | 'diff-del' | 'diff-hunk' | undefined {
  if (line.startsWith('+') && !line.startsWith('+++')) return 'diff-add';
  if (line.startsWith('-') && !line.startsWith('---')) return 'diff-del';
  return line.startsWith('@@') ? 'diff-hunk' : undefined;
}

/** `label` names the file for screen readers ("Changes to conf/wrapper.conf"); the box scrolls and takes focus. */
export function DiffView({ diff, label }: { diff: string; label: string }): React.JSX.Element {
  return (
    <pre className="diff" aria-label={label} tabIndex={0}>
      {diff.split('\n').map((line, i) => (
        <span key={i} className={diffLineClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
