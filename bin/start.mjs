#!/usr/bin/env node
// Launcher behind `npm start`. With an Electron runtime binary installed, it builds the
// desktop app when the build is missing or older than its sources, then launches it.
// Without one, it prints that and starts browser mode (`casebook serve`) instead.
// Arguments are passed through to either, for example `npm start -- --case FILE`.
//
// It never loads the `electron` package: in plain Node, require('electron') tries to
// download the binary. The binary is located the way that package does it instead.

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const OWN_FLAGS = new Set(['--dry-run', '--help', '-h']);

const USAGE = `Usage: npm start [-- options]
       node bin/start.mjs [--dry-run] [options]

Starts the Casebook desktop app when the Electron runtime is installed, otherwise
browser mode (casebook serve on 127.0.0.1). Other options are passed through, for example:
  --case FILE   case file to open (created when missing); without it browser mode opens the sample case
Browser mode also takes --port N and --host ADDRESS (see: node bin/casebook.mjs serve --help).

  --dry-run     print which mode would start and the command, then exit
  --help, -h    print this help and the mode that would start`;

/** Executable inside an unpacked Electron folder, as the electron package names it per platform. */
function platformExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Locate the Electron binary like node_modules/electron/index.js does, without running
 * it: ELECTRON_OVERRIDE_DIST_PATH, else node_modules/electron/dist/<path.txt>.
 * Returns { binary } or { missing } with what was checked and not found.
 */
function findElectron() {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let relative = null;
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    relative = null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = path.join(override, relative ?? platformExecutable());
    return isExecutableFile(candidate)
      ? { binary: candidate }
      : { missing: `no executable at ${candidate}, set by ELECTRON_OVERRIDE_DIST_PATH` };
  }
  if (relative === null) return { missing: `${path.join(packageDir, 'path.txt')} not found, so the binary was never downloaded` };
  const candidate = path.join(packageDir, 'dist', relative);
  return isExecutableFile(candidate) ? { binary: candidate } : { missing: `no executable at ${candidate}` };
}

/** Newest modification time (ms) of the files under `entries`, skipping node_modules. */
function newestMtime(entries) {
  let newest = 0;
  const visit = (entry) => {
    let info;
    try {
      info = statSync(entry);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(entry)) if (name !== 'node_modules') visit(path.join(entry, name));
    } else {
      newest = Math.max(newest, info.mtimeMs);
    }
  };
  for (const entry of entries) visit(path.join(root, entry));
  return newest;
}

/** Return why a build is needed (an output is missing or older than a source), or null when it is current. */
function buildReason(outputs, sources) {
  const missing = outputs.find((output) => !existsSync(path.join(root, output)));
  if (missing) return `${missing} is missing`;
  const oldest = Math.min(...outputs.map((output) => statSync(path.join(root, output)).mtimeMs));
  return newestMtime(sources) > oldest ? `sources changed since ${outputs[0]} was built` : null;
}

/** Return the documents folder: XDG user-dirs on Linux, as Electron's app.getPath('documents') reads them, else ~/Documents. */
function documentsDir() {
  const home = homedir();
  if (process.platform === 'linux') {
    const configHome = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
    try {
      const text = readFileSync(path.join(configHome, 'user-dirs.dirs'), 'utf8');
      const match = /^XDG_DOCUMENTS_DIR="([^"]+)"/m.exec(text);
      if (match) return match[1].replace(/^\$HOME/, home);
    } catch {
      // No user-dirs file: fall through to the usual default.
    }
  }
  return path.join(home, 'Documents');
}

function hasCaseArgument(args) {
  return args.some((arg) => arg === '--case' || arg.startsWith('--case='));
}

/** Run a local package's command line with this Node; exits with its status when it fails. */
function runTool(packageName, binPath, args) {
  const script = path.join(root, 'node_modules', packageName, binPath);
  console.log(`Building: node ${path.relative(root, script)} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `Build failed (${packageName} ${args.join(' ')} exited with ${result.status ?? result.signal}); fix the error above and run npm start again.`,
    );
    process.exit(result.status ?? 1);
  }
}

/** Start `command` with inherited stdio, forward Ctrl+C and SIGTERM to it by its pid, and exit with its status. */
function runChild(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

function quote(args) {
  return args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

const argv = process.argv.slice(2);
const dryRun = argv.includes('--dry-run');
const help = argv.includes('--help') || argv.includes('-h');
const passThrough = argv.filter((arg) => !OWN_FLAGS.has(arg));

if (help) console.log(`${USAGE}\n`);

const electron = findElectron();
if ('binary' in electron) {
  const reason = buildReason(
    ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'],
    ['main', 'shared', 'renderer', 'electron.vite.config.ts'],
  );
  // Electron starts on the project folder and runs package.json "main" (out/main/index.js),
  // so the app gets its name and settings folder from package.json.
  const args = [root, ...passThrough];
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (help || dryRun) {
    console.log(`Electron runtime found at ${electron.binary}: Casebook would start as a desktop app.`);
    if (reason) console.log(`Would build first (${reason}): node node_modules/electron-vite/bin/electron-vite.js build`);
    console.log(`Would run: ${quote([electron.binary, ...args])}`);
  } else {
    if (reason) {
      console.log(`Building the desktop app: ${reason}.`);
      runTool('electron-vite', 'bin/electron-vite.js', ['build']);
    }
    runChild(electron.binary, args, env);
  }
} else {
  console.log(`The Electron runtime is not installed on this machine: ${electron.missing}.`);
  if (help || dryRun) console.log('Casebook would start in browser mode instead.');
  else console.log('Casebook is starting in browser mode instead: open the URL it prints in a web browser.');
  const args = [...passThrough];
  let createdFolder = null;
  let subcommand = 'serve';
  if (!hasCaseArgument(args)) {
    // Without a case, open the sample case: the bundled sample bundle, imported on first use.
    subcommand = 'demo';
    createdFolder = path.join(documentsDir(), 'Casebook');
    args.push('--dir', path.join(createdFolder, 'sample'));
  }
  const reason = buildReason(['out/web/index.html'], ['renderer', 'shared', 'vite.config.ts']);
  const command = [process.execPath, path.join('bin', 'casebook.mjs'), subcommand, ...args];
  if (help || dryRun) {
    if (reason) console.log(`Would build the web UI first (${reason}): node node_modules/vite/bin/vite.js build`);
    console.log(`Would run: ${quote(command)}`);
  } else {
    if (reason) {
      console.log(`Building the web UI: ${reason}.`);
      runTool('vite', 'bin/vite.js', ['build']);
    }
    if (createdFolder) mkdirSync(createdFolder, { recursive: true });
    runChild(command[0], command.slice(1));
  }
}
