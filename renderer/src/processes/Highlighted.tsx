import { splitMatches } from './search.ts';

/** Text with the occurrences of `query` wrapped in <mark>. */
export function Highlighted(props: { text: string; query: string }) {
  if (props.query === '') return <>{props.text}</>;
  return (
    <>
      {splitMatches(props.text, props.query).map((segment, index) =>
        // Segments never reorder, so their position is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}
