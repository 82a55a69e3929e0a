// Executable images the scenarios run, with the version resource fields Sysmon copies
// into event 1, and file hashes. Hashes are derived from the path, so one image has the
// same hashes on every host and in every run; they are not the hashes of real files.

import { createHash } from 'node:crypto';

export interface ImageInfo {
  fileVersion: string;
  description: string;
  product: string;
  company: string;
  originalFileName: string;
}

const WINDOWS = 'Microsoft® Windows® Operating System';
const MS = 'Microsoft Corporation';
const OS_VERSION = '10.0.19041.3636 (WinBuild.160101.0800)';

function windows(description: string, originalFileName: string): ImageInfo {
  return { fileVersion: OS_VERSION, description, product: WINDOWS, company: MS, originalFileName };
}

const KNOWN: Record<string, ImageInfo> = {
  'cmd.exe': windows('Windows Command Processor', 'Cmd.Exe'),
  'conhost.exe': windows('Console Window Host', 'CONHOST.EXE'),
  'powershell.exe': { ...windows('Windows PowerShell', 'PowerShell.EXE'), fileVersion: '10.0.19041.3570 (WinBuild.160101.0800)' },
  'rundll32.exe': windows('Windows host process (Rundll32)', 'RUNDLL32.EXE'),
  'svchost.exe': windows('Host Process for Windows Services', 'svchost.exe'),
  'taskhostw.exe': windows('Host Process for Windows Tasks', 'taskhostw.exe'),
  'backgroundtaskhost.exe': windows('Background Task Host', 'backgroundTaskHost.exe'),
  'runtimebroker.exe': windows('Runtime Broker', 'RuntimeBroker.exe'),
  'searchprotocolhost.exe': windows('Microsoft Windows Search Protocol Host', 'SearchProtocolHost.exe'),
  'searchfilterhost.exe': windows('Microsoft Windows Search Filter Host', 'SearchFilterHost.exe'),
  'wmiprvse.exe': windows('WMI Provider Host', 'Wmiprvse.exe'),
  'dllhost.exe': windows('COM Surrogate', 'dllhost.exe'),
  'consent.exe': windows('Consent UI for administrative applications', 'consent.exe'),
  'fodhelper.exe': windows('Features On Demand Helper', 'FodHelper.EXE'),
  'whoami.exe': windows('whoami - displays logged on user information', 'whoami.exe'),
  'net.exe': windows('Net Command', 'net.exe'),
  'net1.exe': windows('Net Command', 'net1.exe'),
  'ipconfig.exe': windows('IP Configuration Utility', 'ipconfig.exe'),
  'nltest.exe': windows('Microsoft® Logon Server Test Utility', 'nltestrk.exe'),
  'wevtutil.exe': windows('Eventing Command Line Utility', 'wevtutil.exe'),
  'sc.exe': windows('Service Control Manager Configuration Tool', 'sc.exe'),
  'gpupdate.exe': windows('Microsoft® Windows Group Policy Update Utility', 'GPUpdate.exe'),
  'musnotification.exe': windows('MusNotification.exe', 'MusNotification.exe'),
  'usoclient.exe': windows('UsoClient', 'UsoClient'),
  'mousocoreworker.exe': windows('MoUSO Core Worker Process', 'MoUsoCoreWorker.exe'),
  'tiworker.exe': windows('Windows Modules Installer Worker', 'TiWorker.exe'),
  'compattelrunner.exe': windows('Microsoft Compatibility Telemetry', 'CompatTelRunner.exe'),
  'smartscreen.exe': windows('Windows Defender SmartScreen', 'smartscreen.exe'),
  'mpcmdrun.exe': {
    fileVersion: '4.18.23110.3 (WinBuild.160101.0800)',
    description: 'Microsoft Malware Protection Command Line Utility',
    product: WINDOWS,
    company: MS,
    originalFileName: 'MpCmdRun.exe',
  },
  'userinit.exe': windows('Userinit Logon Application', 'USERINIT.EXE'),
  'rdpclip.exe': windows('RDP Clipboard Monitor', 'rdpclip.exe'),
  'explorer.exe': windows('Windows Explorer', 'EXPLORER.EXE'),
  'mstsc.exe': windows('Remote Desktop Connection', 'mstsc.exe'),
  'winword.exe': {
    fileVersion: '16.0.17029.20108',
    description: 'Microsoft Word',
    product: 'Microsoft Office',
    company: MS,
    originalFileName: 'WinWord.exe',
  },
  'outlook.exe': {
    fileVersion: '16.0.17029.20108',
    description: 'Microsoft Outlook',
    product: 'Microsoft Outlook',
    company: MS,
    originalFileName: 'Outlook.exe',
  },
  'excel.exe': {
    fileVersion: '16.0.17029.20108',
    description: 'Microsoft Excel',
    product: 'Microsoft Office',
    company: MS,
    originalFileName: 'Excel.exe',
  },
  'chrome.exe': {
    fileVersion: '120.0.6099.217',
    description: 'Google Chrome',
    product: 'Google Chrome',
    company: 'Google LLC',
    originalFileName: 'chrome.exe',
  },
  'msedge.exe': {
    fileVersion: '120.0.2210.121',
    description: 'Microsoft Edge',
    product: 'Microsoft Edge',
    company: MS,
    originalFileName: 'msedge.exe',
  },
  '7z.exe': { fileVersion: '23.01', description: '7-Zip Console', product: '7-Zip', company: 'Igor Pavlov', originalFileName: '7z.exe' },
  'rclone.exe': {
    fileVersion: '1.65.0',
    description: 'Rsync for cloud storage',
    product: 'Rclone',
    company: 'https://rclone.org',
    originalFileName: 'rclone.exe',
  },
};

const UNKNOWN: ImageInfo = { fileVersion: '-', description: '-', product: '-', company: '-', originalFileName: '-' };

export function baseName(image: string): string {
  return image.slice(image.lastIndexOf('\\') + 1);
}

export function imageInfo(image: string): ImageInfo {
  return KNOWN[baseName(image).toLowerCase()] ?? UNKNOWN;
}

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
  imphash: string;
}

const hashCache = new Map<string, FileHashes>();

/** Stand-in hashes of the file at `path` (lower-cased, so case variants of one path agree). */
export function fileHashes(path: string): FileHashes {
  const key = path.toLowerCase();
  let hashes = hashCache.get(key);
  if (!hashes) {
    const digest = (algorithm: string, salt: string) => createHash(algorithm).update(`${salt}:${key}`).digest('hex');
    hashes = {
      md5: digest('md5', 'md5'),
      sha1: digest('sha1', 'sha1'),
      sha256: digest('sha256', 'sha256'),
      imphash: digest('md5', 'imphash'),
    };
    hashCache.set(key, hashes);
  }
  return hashes;
}

/** Sysmon's Hashes field with the MD5, SHA256 and IMPHASH algorithms configured. */
export function sysmonHashes(image: string): string {
  const h = fileHashes(image);
  return `MD5=${h.md5.toUpperCase()},SHA256=${h.sha256.toUpperCase()},IMPHASH=${h.imphash.toUpperCase()}`;
}
