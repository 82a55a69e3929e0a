// Left navigation. Views that do not exist yet are listed disabled, without content.

import { useViewStore, type ViewName } from '../state/view.ts';

const VIEWS: { id: ViewName; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'processes', label: 'Process tree' },
  { id: 'evidence', label: 'Evidence' },
];

const NOT_BUILT = ['Correlation', 'Report'];

export function NavBar() {
  const view = useViewStore((state) => state.view);
  const show = useViewStore((state) => state.show);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              data-testid={`nav-${item.id}`}
              aria-current={view === item.id ? 'page' : undefined}
              onClick={() => show(item.id)}
            >
              {item.label}
            </button>
          </li>
        ))}
        {NOT_BUILT.map((label) => (
          <li key={label}>
            <button type="button" disabled title="not built yet">
              {label}
              <small>not built yet</small>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
