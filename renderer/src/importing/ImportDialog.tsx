// The import dialog: paths in, then live progress of the import and its per-file results.

import { useEffect, useRef } from 'react';
import type { ImportFileResult, ImportProgress } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { formatCount, formatMegabytes } from '../format/numbers.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { reportError } from '../state/errors.ts';
import { splitPaths, useImportStore } from '../state/importing.ts';
import { cancelImport, startImport } from './follow.ts';

function PathField(props: { disabled: boolean }) {
  const pathsText = useImportStore((state) => state.pathsText);
  const setPathsText = useImportStore((state) => state.setPathsText);
  const nativeFileDialog = useCaseStore((state) => state.capabilities?.nativeFileDialog ?? false);
  const field = useRef<HTMLTextAreaElement>(null);

  useEffect(() => field.current?.focus(), []);

  const browse = async () => {
    try {
      const picked = await api.pickEvidence();
      if (picked && picked.length > 0) setPathsText([...splitPaths(pathsText), ...picked].join('\n'));
    } catch (error) {
      reportError('Could not open the file picker', error);
    }
  };

  return (
    <div className="path-field">
      <label htmlFor="import-paths">
        Evidence paths on the machine running Casebook, one per line: folders, .zip, .tar or .tar.gz files
      </label>
      <textarea
        id="import-paths"
        ref={field}
        data-testid="import-paths"
        rows={4}
        spellCheck={false}
        className="mono"
        placeholder="/cases/2024-017/bundle.zip"
        value={pathsText}
        disabled={props.disabled}
        onChange={(event) => setPathsText(event.target.value)}
      />
      {nativeFileDialog && (
        <button type="button" data-testid="import-browse" disabled={props.disabled} onClick={() => void browse()}>
          Browse…
        </button>
      )}
    </div>
  );
}

function FileResults(props: { files: ImportFileResult[] }) {
  if (props.files.length === 0) return null;
  return (
    <div className="table-scroll import-files">
      <table data-testid="import-files">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Records</th>
            <th scope="col">Errors</th>
            <th scope="col">Messages</th>
          </tr>
        </thead>
        <tbody>
          {props.files.map((file) => (
            <tr key={file.path} data-status={file.status}>
              <td className="mono path">{file.path}</td>
              <td>{file.kind}</td>
              <td>
                <span className={`status status-${file.status}`}>{file.status}</span>
              </td>
              <td className="num">{formatCount(file.records)}</td>
              <td className="num">{formatCount(file.errors)}</td>
              <td className="messages-cell">{file.messages.join('\n')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProgressView(props: { progress: ImportProgress }) {
  const { progress } = props;
  const running = progress.state === 'running';
  return (
    <section className="import-progress" data-testid="import-progress" data-state={progress.state} aria-live="polite">
      <progress
        max={Math.max(progress.filesSeen, 1)}
        value={running ? progress.filesDone : Math.max(progress.filesSeen, 1)}
        aria-label="Files imported"
      />
      <dl className="import-stats">
        <dt>State</dt>
        <dd data-testid="import-state">{progress.state}</dd>
        <dt>Files</dt>
        <dd>
          {formatCount(progress.filesDone)} of {formatCount(progress.filesSeen)}
          {running ? ' (more may be found inside archives)' : ''}
        </dd>
        <dt>Records</dt>
        <dd data-testid="import-records">{formatCount(progress.records)}</dd>
        <dt>Read</dt>
        <dd>{formatMegabytes(progress.bytes)}</dd>
        <dt>Rate</dt>
        <dd>{formatCount(progress.rate)} records/s</dd>
        {running && progress.currentFile && (
          <>
            <dt>Current file</dt>
            <dd className="mono path">{progress.currentFile}</dd>
          </>
        )}
      </dl>
      {progress.error && (
        <p className="error" role="alert">
          {progress.error}
        </p>
      )}
      <FileResults files={progress.files} />
    </section>
  );
}

export function ImportDialog() {
  const open = useImportStore((state) => state.dialogOpen);
  const importId = useImportStore((state) => state.importId);
  const progress = useImportStore((state) => state.progress);
  const error = useImportStore((state) => state.error);
  const pathsText = useImportStore((state) => state.pathsText);
  const closeDialog = useImportStore((state) => state.closeDialog);

  if (!open) return null;
  const running = progress?.state === 'running' || (importId !== null && progress === null && error === null);
  const paths = splitPaths(pathsText);

  return (
    <div className="backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-title"
        data-testid="import-dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            // Escape closes only this dialog, not the details pane underneath.
            event.preventDefault();
            event.stopPropagation();
            if (!running) closeDialog();
          }
        }}
      >
        <h2 id="import-title">Import evidence</h2>
        <PathField disabled={running} />
        {error && (
          <p className="error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
        {progress && <ProgressView progress={progress} />}
        <div className="dialog-buttons">
          {running && importId !== null ? (
            <button type="button" data-testid="import-cancel" onClick={() => void cancelImport(importId)}>
              Cancel import
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              data-testid="import-start"
              disabled={paths.length === 0}
              onClick={() => void startImport(paths)}
            >
              Start import
            </button>
          )}
          <button type="button" data-testid="import-close" disabled={running} onClick={closeDialog}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
