import { FieldInput } from '../../components/FieldInput';
import { validateDetails, visibleFields } from '../../wizard';
import type { StepProps, StepView } from '../types';

function DetailsStep({ draft, update, platform, showErrors }: StepProps): React.JSX.Element {
  if (!platform) return <p>Choose a platform first.</p>;
  const errors = showErrors ? validateDetails(platform, draft.variant, draft.answers) : {};
  const errorFor = (path: string): string | undefined => errors[path];
  return (
    <form className="details" onSubmit={(e) => e.preventDefault()} noValidate>
      <p className="lead">{platform.name}: the values the generated configs need. Fields marked * are required.</p>
      {visibleFields(platform, draft.variant).map((field) => (
        <FieldInput
          key={field.key}
          field={field}
          id={`field-${field.key}`}
          value={draft.answers[field.key]}
          error={errors[field.key]}
          errorFor={errorFor}
          onChange={(value) => update({ answers: { ...draft.answers, [field.key]: value } })}
        />
      ))}
    </form>
  );
}

export const detailsStep: StepView = {
  Component: DetailsStep,
  validate: (draft, platform) => (platform ? validateDetails(platform, draft.variant, draft.answers) : { platform: 'choose a platform' }),
};
