import { useErrorStore } from '../state/errors.ts';

/** Failures of API calls, shown until dismissed. */
export function ErrorBanner() {
  const errors = useErrorStore((state) => state.errors);
  const dismiss = useErrorStore((state) => state.dismiss);
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {errors.map((error) => (
        <div key={error.id} className="error-line">
          <span>{error.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(error.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
