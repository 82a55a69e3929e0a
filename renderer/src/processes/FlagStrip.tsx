// The flags of one tree row, after the process name. Chips show in full while they fit,
// then with the first word of their label. The rest collapse into a "+N" badge, or every
// flag into one count badge. Chip and badge titles give the full text, and the details
// pane lists every flag.

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ProcessFlag } from '../../../shared/processes.ts';
import { COUNT_BADGE_WIDTH, FLAG_GAP, type FlagFit, fitFlagChips, MORE_BADGE_WIDTH } from './flagFit.ts';
import { flagLabel, flagShortLabel } from './labels.ts';
import { bySeverity, severityGlyph, topSeverity } from './severity.ts';

function chipText(flag: ProcessFlag, form: FlagFit['form']): string {
  return `${severityGlyph(flag.severity)} ${form === 'full' ? flagLabel(flag.code) : flagShortLabel(flag.code)}`;
}

function chipTitle(flag: ProcessFlag): string {
  return `${flag.severity}: ${flag.explanation}`;
}

/** Formats one line per flag for a badge's title: `encoded powershell (high): powershell.exe (PID 5784) runs …`. */
function flagLines(flags: readonly ProcessFlag[]): string {
  return flags.map((flag) => `${flagLabel(flag.code)} (${flag.severity}): ${flag.explanation}`).join('\n');
}

/**
 * Renders a badge for flags whose chips do not fit. A badge for a single flag carries that
 * flag's code and title, as its chip would.
 */
function Badge(props: { flags: readonly ProcessFlag[]; text: string; width: number; kind: 'more' | 'count' }) {
  const { flags } = props;
  const single = flags.length === 1 ? flags[0]! : null;
  const severity = topSeverity(flags) ?? 'low';
  const spoken = `${props.kind === 'more' ? ' more' : ''} flag${single ? '' : 's'}: ${flags.map((flag) => flagLabel(flag.code)).join(', ')}`;
  return (
    <span
      className={`flag-marker flag-badge severity-${severity}`}
      style={{ width: props.width }}
      title={single ? chipTitle(single) : flagLines(flags)}
      data-flag={single?.code}
      data-flags={single ? undefined : flags.map((flag) => flag.code).join(' ')}
      data-testid={`flag-${props.kind}`}
    >
      <span aria-hidden="true">{props.text}</span>
      <span className="visually-hidden">{`${flags.length}${spoken}`}</span>
    </span>
  );
}

export function FlagStrip(props: { flags: readonly ProcessFlag[] }) {
  const flags = useMemo(() => bySeverity(props.flags), [props.flags]);
  const slot = useRef<HTMLSpanElement>(null);
  const ruler = useRef<HTMLSpanElement>(null);
  const [fit, setFit] = useState<FlagFit>({ chipCount: flags.length, form: 'full' });

  // Layout effects run before the browser paints, so the full chips of the first render
  // never show when they do not fit. The observer catches later changes in the width of
  // the slot (a name set in bold as a search match) or of the chips (another font size).
  useLayoutEffect(() => {
    const slotElement = slot.current;
    const rulerElement = ruler.current;
    if (!slotElement || !rulerElement) return;
    const measure = () => {
      // The ruler contains every full chip, then every short chip.
      const widths = [...rulerElement.children].map((chip) => chip.getBoundingClientRect().width);
      const next = fitFlagChips(widths.slice(0, flags.length), widths.slice(flags.length), slotElement.getBoundingClientRect().width);
      setFit((current) => (current.chipCount === next.chipCount && current.form === next.form ? current : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(slotElement);
    observer.observe(rulerElement);
    return () => observer.disconnect();
  }, [flags]);

  const visible = Math.min(fit.chipCount, flags.length);
  const glyph = severityGlyph(topSeverity(flags) ?? 'low');
  return (
    <span className="flag-strip" ref={slot} style={{ minWidth: COUNT_BADGE_WIDTH, gap: FLAG_GAP }} data-testid="flag-strip">
      {visible === 0 ? (
        <Badge flags={flags} kind="count" width={COUNT_BADGE_WIDTH} text={flags.length === 1 ? glyph : `${glyph} ${flags.length}`} />
      ) : (
        flags.slice(0, visible).map((flag) => (
          <span key={flag.code} className={`flag-marker severity-${flag.severity}`} title={chipTitle(flag)} data-flag={flag.code}>
            {chipText(flag, fit.form)}
          </span>
        ))
      )}
      {visible > 0 && visible < flags.length && (
        <Badge flags={flags.slice(visible)} kind="more" width={MORE_BADGE_WIDTH} text={`+${flags.length - visible}`} />
      )}
      {/* Chips of both forms laid out off the flow and never seen, so their widths can be measured whatever shows. */}
      <span className="flag-ruler" ref={ruler} aria-hidden="true">
        {(['full', 'short'] as const).flatMap((form) =>
          flags.map((flag) => (
            <span key={`${form}-${flag.code}`} className={`flag-marker severity-${flag.severity}`}>
              {chipText(flag, form)}
            </span>
          )),
        )}
      </span>
    </span>
  );
}
