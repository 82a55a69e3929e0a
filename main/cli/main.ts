// The `casebook` command line: import, info, timeline and serve over the same core as
// the desktop app. Results go to stdout, logs and errors to stderr; exit code 0 on
// success, 1 when the work failed, 2 on bad arguments or unreadable paths.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { APP_VERSION } from '../version.ts';
import { runImport } from './import.ts';
import { runInfo } from './info.ts';
import { registerProcesses } from './processes.ts';
import { runDemo, runSample } from './sample.ts';
import { registerScenario } from './scenario.ts';
import { runServe } from './serve.ts';
import { runTimeline } from './timeline.ts';

import { UsageError } from './usage.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}`);
  return number;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('casebook')
    .description('Casebook: offline forensics workbench. Import evidence into a case file and explore it.')
    .version(APP_VERSION)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('import')
    .description('import evidence files, folders or archives (zip, tar, tar.gz) into a case file')
    .argument('<paths...>', 'evidence files, folders or archives')
    .requiredOption('--case <file>', 'case file to create or add to (DuckDB)')
    .option('--json', 'print one JSON object with per-file results on stdout')
    .action(async (paths: string[], options: { case: string; json?: boolean }) => setExit(await runImport(paths, options)));

  program
    .command('info')
    .description('show counts per source and log in a case')
    .requiredOption('--case <file>', 'case file')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { case: string; json?: boolean }) => setExit(await runInfo(options)));

  program
    .command('timeline')
    .description('write events in time order as CSV or JSON lines')
    .requiredOption('--case <file>', 'case file')
    .option(
      '--from <time>',
      'first time to include, ISO 8601 in UTC unless an offset is given; a date alone is midnight (for example 2024-01-31 or 2024-01-31T08:30:00Z)',
    )
    .option('--to <time>', 'end of the range (exclusive), in the same form as --from')
    .option('--search <text>', 'only events containing every word of TEXT (case-insensitive)')
    .option('--limit <n>', 'write at most N events', positiveInteger)
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'jsonl']).default('csv'))
    .action(async (options) => setExit(await runTimeline(options)));

  program
    .command('serve')
    .description('serve the workbench in a browser on the loopback interface (prints the URL with its token)')
    .requiredOption('--case <file>', 'case file to open (created when missing)')
    .option('--port <n>', 'port to listen on (default: a random free port)', positiveInteger)
    .option('--host <address>', 'address to bind; only change from 127.0.0.1 on a trusted network', '127.0.0.1')
    .option('--web-root <dir>', 'folder with the built web UI (default: out/web)')
    .action(async (options) => setExit(await runServe(options)));

  program
    .command('sample')
    .description('write the sample bundle (the default scenario: EVTX, Zeek and Volatility outputs) into a folder, with its answer key')
    .requiredOption('--out <dir>', 'folder to write the bundle into')
    .option('--seed <n>', 'seed; the same seed writes identical files', positiveInteger, 1)
    .option('--events <n>', 'approximate number of records over all logs', positiveInteger, 20_000)
    .action(async (options) => setExit(await runSample(options)));

  program
    .command('demo')
    .description('write the sample bundle, import it into a sample case and serve the workbench on it')
    .option('--dir <dir>', 'folder for the sample bundle and case (default: ~/.casebook/sample)')
    .option('--port <n>', 'port to listen on (default: a random free port)', positiveInteger)
    .option('--events <n>', 'approximate number of records in the sample', positiveInteger, 20_000)
    .action(async (options) => setExit(await runDemo(options)));

  registerProcesses(program, setExit);
  registerScenario(program, setExit, positiveInteger);

  return program;
}

/** Run the CLI with process.argv-style arguments; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((value) => {
    code = value;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`casebook: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`casebook: ${(error as Error).message}\n`);
    return 1;
  }
}
