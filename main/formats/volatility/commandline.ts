// Saved Volatility command lines and banners: which plugin ran, on which memory image,
// with which renderer. Users paste these above the output, and Volatility Workbench logs
// repeat them before every run.

export interface VolCommand {
  plugin: string | null;
  image: string | null;
  renderer: string | null;
  /** 2 for `vol.py` with a `--profile`, 3 for a dotted plugin such as `windows.pslist`, else null. */
  version: 2 | 3 | null;
}

const PROGRAM = /^(?:vol|vol3|volatility|volatility3)(?:\.py|\.exe)?$/i;

// Options that take a value in Volatility 3 and 2.6. An option missing here would make its
// value read as the plugin name.
const VALUE_OPTIONS = new Set([
  '-c',
  '--config',
  '-p',
  '--plugin-dirs',
  '-s',
  '--symbol-dirs',
  '-r',
  '--renderer',
  '-o',
  '--output-dir',
  '--cache-path',
  '--save-config',
  '--log',
  '--filters',
  '--profile',
  '-l',
  '--location',
  '--output',
  '--output-file',
  '--dtb',
  '--kdbg',
  '--pid',
  '-D',
  '--dump-dir',
]);

const IMAGE_OPTIONS = new Set(['-f', '--file', '--filename', '--single-location', '-l', '--location']);
const RENDERER_OPTIONS = new Set(['-r', '--renderer', '--output']);

/** Splits a shell or cmd.exe command line into words, honouring double and single quotes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === ' ' || char === '\t') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

function programName(word: string): string {
  return word.split(/[\\/>]/).pop() ?? word;
}

function imagePath(value: string): string {
  return value.replace(/^file:\/\/\/?(?=[A-Za-z]:)/, '').replace(/^file:\/\//, '');
}

/** Parses a line that runs Volatility, possibly after a shell prompt. Returns null for any other line. */
export function parseCommandLine(line: string): VolCommand | null {
  if (!/vol/i.test(line)) return null;
  const words = splitWords(line.trim());
  const start = words.findIndex((word) => PROGRAM.test(programName(word)));
  if (start < 0) return null;

  const command: VolCommand = { plugin: null, image: null, renderer: null, version: null };
  let sawProfile = false;
  for (let index = start + 1; index < words.length; index++) {
    const word = words[index]!;
    if (word.startsWith('-')) {
      const [option, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, null];
      if (option === '--profile') sawProfile = true;
      const takesValue = VALUE_OPTIONS.has(option) || IMAGE_OPTIONS.has(option);
      const value = inline ?? (takesValue ? (words[index + 1] ?? null) : null);
      if (takesValue && inline === null) index++;
      if (value !== null && IMAGE_OPTIONS.has(option) && command.image === null) command.image = imagePath(value);
      if (value !== null && RENDERER_OPTIONS.has(option)) command.renderer = value;
      continue;
    }
    if (command.plugin === null) command.plugin = word;
  }
  // Prose that merely mentions Volatility names no image and no dotted plugin.
  const dotted = command.plugin !== null && /^[a-z]+(?:\.[A-Za-z0-9_]+)+$/.test(command.plugin);
  if (command.image === null && !dotted) return null;
  if (dotted) command.version = 3;
  else if (sawProfile) command.version = 2;
  return command;
}

const VOL3_BANNER = /^Volatility 3 Framework (\d+\.\d+(?:\.\d+)?)\s*$/;
const VOL2_BANNER = /^Volatility Foundation Volatility Framework (\d+\.\d+(?:\.\d+)?)\s*$/;

/** Returns the release named by a `Volatility 3 Framework x.y.z` banner line. */
export function vol3Banner(line: string): string | null {
  return VOL3_BANNER.exec(line)?.[1] ?? null;
}

/** Returns the release named by a `Volatility Foundation Volatility Framework 2.x` banner line. */
export function vol2Banner(line: string): string | null {
  return VOL2_BANNER.exec(line)?.[1] ?? null;
}

/** Volatility 3 progress lines on stderr, captured when a console session is saved. */
export function isProgressLine(line: string): boolean {
  return /^\s*Progress:\s+[\d.]+/.test(line);
}

/** Lines of a Python traceback and the launcher's closing message. */
export function isTracebackLine(line: string): boolean {
  return (
    line.startsWith('Traceback (most recent call last):') ||
    /^ {2}File ".*", line \d+/.test(line) ||
    /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?::|$)/.test(line) ||
    /^\[\d+\] Failed to execute script/.test(line)
  );
}

/** Python logging lines that Volatility prints on stderr (`WARNING  volatility3...: message`). */
export function isLogLine(line: string): boolean {
  return /^(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+\S+:/.test(line) || /^Volatility was unable to read/.test(line);
}

/** Splits text into lines without their terminators (`\n`, `\r\n`, `\r\r\n`) and drops a leading byte order mark. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n').map((line) => line.replace(/\r+$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
