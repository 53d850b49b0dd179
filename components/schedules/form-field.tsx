// A labelled form field with its hint or its error, in the dashboard's form style.

export const inputClass = (invalid: boolean, extra = "") =>
  `mt-1 block w-full rounded-lg border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 ${
    invalid ? "border-rose-400 focus:ring-rose-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
  } ${extra}`;

export function Field({
  id,
  label,
  hint,
  error,
  children,
  className = "",
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={className} data-field={id}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      {children}
      {error ? (
        <p className="mt-1 text-xs text-rose-700" data-testid="field-error">{error}</p>
      ) : hint ? (
        <p className="mt-1 text-xs text-slate-500">{hint}</p>
      ) : null}
    </div>
  );
}
