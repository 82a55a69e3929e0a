import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  checkSender,
  isAllowedRequest,
  rendererPageUrl,
  type SenderFacts,
  withContentSecurityPolicy,
} from './security.ts';

const outDir = '/opt/Casebook/resources/app.asar/out';
const expectedUrl = rendererPageUrl(outDir);
const rendererDir = path.join(outDir, 'renderer');

function facts(overrides: Partial<SenderFacts> = {}): SenderFacts {
  return { senderId: 3, windowId: 3, frameUrl: expectedUrl, isTopFrame: true, ...overrides };
}

describe('rendererPageUrl', () => {
  it('is the file URL of out/renderer/index.html', () => {
    expect(expectedUrl).toBe('file:///opt/Casebook/resources/app.asar/out/renderer/index.html');
  });

  it('percent-encodes spaces in the install path', () => {
    expect(rendererPageUrl('/home/a b/out')).toBe('file:///home/a%20b/out/renderer/index.html');
  });
});

describe('checkSender', () => {
  it('accepts the app page in the main window', () => {
    expect(checkSender(facts(), expectedUrl)).toBeNull();
  });

  it('accepts the app page with a hash route', () => {
    expect(checkSender(facts({ frameUrl: `${expectedUrl}#/timeline?from=2024` }), expectedUrl)).toBeNull();
  });

  const hostileUrls: [string, string][] = [
    ['http page', 'http://127.0.0.1:5173/index.html'],
    ['https page', 'https://casebook.example/index.html'],
    ['another file', 'file:///opt/Casebook/resources/app.asar/out/renderer/other.html'],
    ['system file', 'file:///etc/passwd'],
    ['dot-dot segment', 'file:///opt/Casebook/resources/app.asar/out/renderer/../renderer/index.html'],
    ['dot-dot escaping the folder', 'file:///opt/Casebook/resources/app.asar/out/renderer/../../../../../tmp/index.html'],
    ['encoded dot-dot', 'file:///opt/Casebook/resources/app.asar/out/renderer/%2e%2e/renderer/index.html'],
    ['localhost host', 'file://localhost/opt/Casebook/resources/app.asar/out/renderer/index.html'],
    ['query string', `${expectedUrl}?debug=1`],
    ['longer name', `${expectedUrl}.html`],
    ['devtools page', 'devtools://devtools/bundled/devtools_app.html'],
    ['data URL', 'data:text/html,<script>parent.casebook</script>'],
    ['about:blank', 'about:blank'],
    ['empty string', ''],
  ];
  for (const [name, url] of hostileUrls) {
    it(`rejects ${name}`, () => {
      expect(checkSender(facts({ frameUrl: url }), expectedUrl)).toMatch(/is not file:\/\//);
    });
  }

  it('rejects another webContents', () => {
    expect(checkSender(facts({ senderId: 4 }), expectedUrl)).toBe('sender webContents 4 is not the main window');
  });

  it('rejects any sender when the window is gone', () => {
    expect(checkSender(facts({ windowId: null }), expectedUrl)).toBe('sender webContents 3 is not the main window');
  });

  it('rejects a subframe showing the app page', () => {
    expect(checkSender(facts({ isTopFrame: false }), expectedUrl)).toMatch(/^sender is a subframe/);
  });

  it('rejects a disposed frame', () => {
    expect(checkSender(facts({ frameUrl: null }), expectedUrl)).toBe('sending frame no longer exists');
  });
});

describe('isAllowedRequest', () => {
  it('allows built renderer assets', () => {
    expect(isAllowedRequest(`file://${rendererDir}/assets/index-3f2a.js`, rendererDir, false)).toBe(true);
    expect(isAllowedRequest(expectedUrl, rendererDir, false)).toBe(true);
  });

  it('allows data images', () => {
    expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', rendererDir, false)).toBe(true);
  });

  it('allows devtools only when enabled', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html', rendererDir, false)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html', rendererDir, true)).toBe(true);
  });

  const blocked: [string, string][] = [
    ['http', 'http://127.0.0.1:9/'],
    ['https', 'https://casebook.example/font.woff2'],
    ['websocket', 'ws://127.0.0.1:9/'],
    ['main bundle through dot-dot', `file://${rendererDir}/../main/index.js`],
    ['encoded dot-dot', `file://${rendererDir}/%2e%2e/main/index.js`],
    ['sibling folder with the same prefix', `file://${rendererDir}-evil/index.js`],
    ['the folder itself', `file://${rendererDir}`],
    ['system file', 'file:///etc/passwd'],
    ['remote file host', `file://fileserver${rendererDir}/index.html`],
    ['blob', 'blob:file:///1234'],
    ['not a URL', 'index.html'],
  ];
  for (const [name, url] of blocked) {
    it(`blocks ${name}`, () => {
      expect(isAllowedRequest(url, rendererDir, true)).toBe(false);
    });
  }
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources];
    }),
  );

  it('has default-src self', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('never allows eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
  });

  it('runs only the app scripts', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });

  it('blocks plugins, base and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('connects only to self', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('replaces a policy the response carried', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('adds the policy when the response had no headers', () => {
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
