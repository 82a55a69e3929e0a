// Build and packaging settings of the desktop shell, the rule that keeps `electron` out
// of modules plain Node loads, and the application menu.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import electronViteConfig from '../../electron.vite.config.ts';
import { buildMenuTemplate, type MenuActions } from './menu.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

describe('electron-builder.yml', () => {
  let text = '';
  const load = async () => {
    text ||= await readFile(path.join(repoRoot, 'electron-builder.yml'), 'utf8');
    return text;
  };

  it('points the Electron download mirror at loopback', async () => {
    const mirror = /^electronDownload:\s*\n\s+mirror:\s*(\S+)\s*$/m.exec(await load())?.[1];
    expect(mirror).toBe('http://127.0.0.1:9/');
    expect(isLoopback(mirror!)).toBe(true);
  });

  it('names no host other than loopback', async () => {
    const urls = (await load()).match(/https?:\/\/[^\s'"]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(isLoopback(url), url).toBe(true);
  });

  it('unpacks DuckDB and skips the native rebuild', async () => {
    const yaml = await load();
    expect(yaml).toMatch(/^appId: org\.casebook\.workbench$/m);
    expect(yaml).toMatch(/^productName: Casebook$/m);
    expect(yaml).toMatch(/^asarUnpack:\s*\n\s+- node_modules\/@duckdb\/\*\*$/m);
    expect(yaml).toMatch(/^npmRebuild: false$/m);
    expect(yaml).toMatch(/^linux:\s*\n\s+target: dir$/m);
  });

  it('packages only the build output and package.json', async () => {
    const files = /^files:\s*\n((?:\s+- .+\n)+)/m.exec(await load())?.[1];
    expect(files?.trim().split(/\n\s*/)).toEqual(['- out/main/**', '- out/preload/**', '- out/renderer/**', '- package.json']);
  });
});

describe('electron.vite.config.ts', () => {
  const config = electronViteConfig as {
    main: {
      build: { rollupOptions: { input: Record<string, string>; external: string[]; output: { format: string; entryFileNames: string } } };
    };
    preload: { build: { rollupOptions: { input: Record<string, string>; output: { format: string; entryFileNames: string } } } };
    renderer: { root: string; base: string; build: { outDir: string } };
  };

  it('names no host other than loopback', async () => {
    const source = await readFile(path.join(repoRoot, 'electron.vite.config.ts'), 'utf8');
    for (const url of source.match(/\b(?:https?|wss?):\/\/[^\s'"`]+/g) ?? []) expect(isLoopback(url), url).toBe(true);
  });

  it('builds main as an ES module from main/electron/main.ts', () => {
    const main = config.main.build.rollupOptions;
    expect(main.input.index).toBe(path.join(repoRoot, 'main/electron/main.ts'));
    expect(main.output.format).toBe('es');
    expect(main.output.entryFileNames).toBe('[name].js');
    expect(main.external).toContain('@duckdb/node-api');
  });

  it('ships the EVTX worker as its own main entry', () => {
    const worker = config.main.build.rollupOptions.input['chunk-worker']!;
    expect(existsSync(worker)).toBe(true);
  });

  it('builds the preload as CommonJS index.cjs', () => {
    const preload = config.preload.build.rollupOptions;
    expect(preload.input.index).toBe(path.join(repoRoot, 'main/electron/preload.ts'));
    expect(preload.output.format).toBe('cjs');
    expect(preload.output.entryFileNames).toBe('[name].cjs');
  });

  it('builds the renderer into out/renderer with relative URLs', () => {
    expect(config.renderer.root).toBe(path.join(repoRoot, 'renderer'));
    expect(config.renderer.base).toBe('./');
    expect(config.renderer.build.outDir).toBe(path.join(repoRoot, 'out/renderer'));
  });
});

describe('electron imports', () => {
  // Plain Node cannot load `electron` because it tries to download the binary. So only the
  // two entry files may import it at run time, and every other module (tests aside) uses `import type`.
  const RUNTIME_IMPORT =
    /^\s*import\s+(?!type\s)[^;]*?from\s+['"]electron['"]|^\s*import\s+['"]electron['"]|^(?!\s*(?:\/\/|\*))[^\n]*require\(\s*['"]electron['"]\s*\)/m;

  async function sourceFiles(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true, recursive: true });
    return entries
      .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
      .map((entry) => path.join(entry.parentPath, entry.name));
  }

  it('are only in main.ts and preload.ts', async () => {
    const files = [...(await sourceFiles(path.join(repoRoot, 'main'))), ...(await sourceFiles(path.join(repoRoot, 'bin')))];
    const importing: string[] = [];
    for (const file of files) {
      if (RUNTIME_IMPORT.test(await readFile(file, 'utf8'))) importing.push(path.relative(repoRoot, file));
    }
    expect(importing.sort()).toEqual(['main/electron/main.ts', 'main/electron/preload.ts']);
  });

  it('pattern tells type imports from runtime imports', () => {
    expect(RUNTIME_IMPORT.test("import type { Session } from 'electron';")).toBe(false);
    expect(RUNTIME_IMPORT.test("import { type Session } from 'electron';")).toBe(true);
    expect(RUNTIME_IMPORT.test("import { app } from 'electron';")).toBe(true);
    expect(RUNTIME_IMPORT.test("import 'electron';")).toBe(true);
    expect(RUNTIME_IMPORT.test("const { app } = require('electron');")).toBe(true);
    expect(RUNTIME_IMPORT.test("// plain Node must never require('electron')")).toBe(false);
  });
});

describe('application menu', () => {
  const clicked: string[] = [];
  const actions: MenuActions = {
    newCase: () => clicked.push('newCase'),
    openCase: () => clicked.push('openCase'),
    importEvidence: () => clicked.push('importEvidence'),
    about: () => clicked.push('about'),
  };
  type Item = { label?: string; role?: string; type?: string; click?: () => void; submenu?: Item[] };
  const menu = (isDevelopment: boolean, isMac = false) => buildMenuTemplate(actions, { isDevelopment, isMac }) as Item[];
  const submenu = (items: Item[], label: string) => items.find((item) => item.label === label)?.submenu ?? [];

  it('has File, Edit, View and Help', () => {
    expect(menu(false).map((item) => item.label ?? item.role)).toEqual(['&File', 'editMenu', '&View', '&Help']);
  });

  it('lists the File actions and Quit', () => {
    const file = submenu(menu(false), '&File');
    expect(file.filter((item) => item.label).map((item) => item.label)).toEqual(['New case…', 'Open case…', 'Import evidence…']);
    expect(file.at(-1)?.role).toBe('quit');
    clicked.length = 0;
    for (const item of file) item.click?.();
    expect(clicked).toEqual(['newCase', 'openCase', 'importEvidence']);
  });

  it('offers reload only in development', () => {
    const roles = (isDevelopment: boolean) => submenu(menu(isDevelopment), '&View').map((item) => item.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('opens About from Help', () => {
    clicked.length = 0;
    submenu(menu(false), '&Help')[0]?.click?.();
    expect(clicked).toEqual(['about']);
  });

  it('adds the application menu on macOS', () => {
    expect(menu(false, true)[0]?.label).toBe('Casebook');
  });
});
