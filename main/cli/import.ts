import { openCaseBackend } from './case-open.ts';
import { checkCaseOutsideEvidence, checkReadable } from './paths.ts';

export async function runImport(paths: string[], options: { case: string; json?: boolean }): Promise<number> {
  await checkReadable(paths);
  checkCaseOutsideEvidence(options.case, paths);
  const backend = await openCaseBackend(options.case);
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  try {
    const { importId } = await backend.startImport(paths);
    const timer = setInterval(() => {
      if (stop) void backend.cancelImport(importId);
    }, 200);
    const progress = await backend.waitForImport(importId).finally(() => clearInterval(timer));
    if (options.json) {
      const files = progress.files.map(({ path, kind, status, records, errors, duplicates, sha256 }) => ({
        path,
        kind,
        status,
        records,
        errors,
        duplicates,
        sha256,
      }));
      process.stdout.write(
        `${JSON.stringify({ events: progress.state === 'done' ? progress.records : 0, state: progress.state, files })}\n`,
      );
    } else {
      for (const file of progress.files) {
        process.stdout.write(
          `${file.status.padEnd(9)} ${String(file.records).padStart(9)} records ${String(file.errors).padStart(5)} errors  ${file.kind.padEnd(12)} ${file.path}\n`,
        );
        for (const message of file.messages.slice(0, 3)) process.stdout.write(`          ${message}\n`);
      }
      process.stdout.write(`${progress.state}: ${progress.records} events from ${progress.files.length} files into ${options.case}\n`);
    }
    if (progress.error) process.stderr.write(`casebook: ${progress.error}\n`);
    return progress.state === 'done' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    await backend.close();
  }
}
