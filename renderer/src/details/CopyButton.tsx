import { useState } from 'react';
import { reportError } from '../state/errors.ts';
import { copyText } from './copy.ts';

/** A small button that copies `text` and says so for two seconds. */
export function CopyButton(props: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      data-testid={props.testId}
      aria-label={`Copy ${props.label}`}
      onClick={() => {
        copyText(props.text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          },
          (error: unknown) => reportError(`Could not copy the ${props.label}`, error),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
