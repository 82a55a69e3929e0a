// The evidence list: every file of the case with its hash, parser and counts.

import { Fragment, useCallback, useEffect, useState } from 'react';
import type { EvidenceFile } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { CopyButton } from '../details/CopyButton.tsx';
import { formatCount, formatSize } from '../format/numbers.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { useTimeZoneStore } from '../state/timeZone.ts';
import { formatEventTime } from '../time/format.ts';
import { resolveZone, zoneLabel } from '../time/zones.ts';

const COLUMN_COUNT = 11;

/** imported_at may come without fraction digits; the display only needs them when present. */
function importTime(text: string, zone: string): string {
  return formatEventTime(text.replace(/\.\d+Z$/, 'Z'), zone);
}

function EvidenceRow(props: { file: EvidenceFile; zone: string }) {
  const { file, zone } = props;
  const [open, setOpen] = useState(false);
  const hasMessages = file.messages.length > 0;
  return (
    <Fragment>
      <tr data-testid="evidence-row" data-status={file.status}>
        <td className="mono path">{file.path}</td>
        <td>{file.kind}</td>
        <td>{file.parser ?? '—'}</td>
        <td>
          <span className={`status status-${file.status}`}>{file.status}</span>
        </td>
        <td className="num">{formatCount(file.records)}</td>
        <td className="num">{formatCount(file.errors)}</td>
        <td className="num">{formatCount(file.warnings)}</td>
        <td className="num">{formatCount(file.duplicates)}</td>
        <td className="num nowrap" title={`${file.size} bytes`}>
          {formatSize(file.size)}
        </td>
        <td className="mono hash">
          <span className="sha">{file.sha256}</span>
          <CopyButton text={file.sha256} label="SHA-256" />
        </td>
        <td className="mono nowrap">{importTime(file.imported_at, zone)}</td>
        <td>
          {hasMessages && (
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide' : 'Show'} {file.messages.length} message{file.messages.length === 1 ? '' : 's'}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="messages">
          <td colSpan={COLUMN_COUNT + 1}>
            <ul>
              {file.messages.map((message, index) => (
                // Messages may repeat, so the position is part of the key.
                // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
                <li key={index} className="mono">
                  {message}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </Fragment>
  );
}

export function EvidenceView() {
  const dataVersion = useCaseStore((state) => state.dataVersion);
  const setting = useTimeZoneStore((state) => state.zone);
  const [files, setFiles] = useState<EvidenceFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setFiles(await api.listEvidence());
      setError(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: dataVersion only triggers a reload
  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  return (
    <section className="evidence" aria-label="Evidence">
      <div className="toolbar">
        <h2>Evidence files</h2>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        {files && <span className="counts">{formatCount(files.length)} files</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          Could not list the evidence: {error}
        </p>
      )}
      <div className="table-scroll">
        <table className="evidence-table" data-testid="evidence-table">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Kind</th>
              <th scope="col">Parser</th>
              <th scope="col">Status</th>
              <th scope="col">Records</th>
              <th scope="col">Errors</th>
              <th scope="col">Warnings</th>
              <th scope="col">Duplicates</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Imported ({zoneLabel(setting)})</th>
              <th scope="col">Messages</th>
            </tr>
          </thead>
          <tbody>
            {files?.map((file) => (
              <EvidenceRow key={file.evidence_id} file={file} zone={resolveZone(setting)} />
            ))}
            {files?.length === 0 && (
              <tr>
                <td colSpan={COLUMN_COUNT + 1} className="secondary">
                  No evidence yet: use Import to add a folder or an archive.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
