// Number formatting shared by the views; fixed to en-US grouping so every machine shows the same text.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `1,234,567` */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** Megabytes (10^6 bytes) with one decimal: `12.3 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${oneDecimal.format(bytes / 1_000_000)} MB`;
}

/** Bytes for the evidence list: exact below 10 kB, else in kB, MB or GB with one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 10_000) return `${integer.format(bytes)} B`;
  if (bytes < 10_000_000) return `${oneDecimal.format(bytes / 1_000)} kB`;
  if (bytes < 10_000_000_000) return `${oneDecimal.format(bytes / 1_000_000)} MB`;
  return `${oneDecimal.format(bytes / 1_000_000_000)} GB`;
}
