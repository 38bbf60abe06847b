import type { Field } from '../../shared/platforms/types';

interface Props {
  field: Field;
  id: string;
  value: unknown;
  error: string | undefined;
  onChange(value: unknown): void;
  errorFor?(path: string): string | undefined;
}

/** One form field of a platform's Details step, labelled, described and with its error. */
export function FieldInput({ field, id, value, error, onChange, errorFor }: Props): React.JSX.Element {
  const describedBy = [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.key,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': field.required ? true : undefined,
  };
  let control: React.JSX.Element;
  if (field.kind === 'list') {
    const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    const sub = field.fields ?? [];
    control = (
      <fieldset className="list" id={id} aria-describedby={describedBy}>
        <legend className="sr-only">{field.label}</legend>
        {rows.length === 0 && <p className="help list-empty">None added yet.</p>}
        {rows.map((row, i) => (
          <div className="list-row" key={i} role="group" aria-label={`${field.label} ${i + 1}`}>
            {sub.map((s) => (
              <FieldInput
                key={s.key}
                field={s}
                id={`${id}-${i}-${s.key}`}
                value={row[s.key]}
                error={errorFor?.(`${field.key}.${i}.${s.key}`)}
                onChange={(v) => onChange(rows.map((r, j) => (j === i ? { ...r, [s.key]: v } : r)))}
              />
            ))}
            <button type="button" className="secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove ${field.label} ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => onChange([...rows, Object.fromEntries(sub.map((s) => [s.key, '']))])}>
          Add {field.label.replace(/s$/, '').toLowerCase()}
        </button>
      </fieldset>
    );
  } else if (field.kind === 'select') {
    // Left empty, the schema's default applies: show it chosen rather than "Choose…".
    const shown = value === undefined || value === '' ? (field.default ?? '') : String(value);
    control = (
      <select {...common} value={shown} onChange={(e) => onChange(e.target.value)}>
        {field.default === undefined && <option value="">Choose…</option>}
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'textarea' || field.kind === 'tags') {
    control = (
      <textarea
        {...common}
        rows={field.kind === 'tags' ? 2 : 6}
        placeholder={field.placeholder}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    // Untouched, a field with a default shows it filled in: what is shown is what is used.
    const shown = value === undefined ? (field.default ?? '') : value;
    control = (
      <input
        {...common}
        type="text"
        inputMode={field.kind === 'port' || field.kind === 'number' ? 'numeric' : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={field.placeholder}
        value={typeof shown === 'string' || typeof shown === 'number' ? String(shown) : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field field-${field.kind}`}>
      <label htmlFor={id}>
        {field.label}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {field.help && (
        <p className="help" id={`${id}-help`}>
          {field.help}
        </p>
      )}
      {control}
      {field.kind !== 'select' && field.default !== undefined && value === '' && (
        <p className="help" id={`${id}-default`}>
          Left empty: <code>{field.default}</code> is used.
        </p>
      )}
      {error && (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
