import { useEffect } from 'react';
import { onImportStarted } from './api/client.ts';
import { DetailsPane } from './details/DetailsPane.tsx';
import { EvidenceView } from './evidence/EvidenceView.tsx';
import { followImport } from './importing/follow.ts';
import { ImportDialog } from './importing/ImportDialog.tsx';
import { ErrorBanner } from './layout/ErrorBanner.tsx';
import { NavBar } from './layout/NavBar.tsx';
import { TopBar } from './layout/TopBar.tsx';
import { ProcessesView } from './processes/ProcessesView.tsx';
import { useCaseStore } from './state/caseInfo.ts';
import { useViewStore } from './state/view.ts';
import { TimelineView } from './timeline/TimelineView.tsx';

export function App() {
  const view = useViewStore((state) => state.view);

  useEffect(() => {
    void useCaseStore.getState().loadCapabilities();
    void useCaseStore.getState().refresh();
    return onImportStarted(followImport);
  }, []);

  return (
    <div className="app">
      <TopBar />
      <ErrorBanner />
      <div className="body">
        <NavBar />
        <main className="main">
          {/* The timeline stays mounted so its scroll position and cache survive a visit to another view. */}
          <div className="view" hidden={view !== 'timeline'}>
            <TimelineView />
          </div>
          {view === 'processes' && (
            <div className="view">
              <ProcessesView />
            </div>
          )}
          {view === 'evidence' && (
            <div className="view">
              <EvidenceView />
            </div>
          )}
        </main>
        {view === 'timeline' && <DetailsPane />}
      </div>
      <ImportDialog />
    </div>
  );
}
