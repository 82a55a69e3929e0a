import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeTar, makeZip, sha256 } from '../../test/archives.ts';
import { type BundleEntry, BundleWalker, openContent } from './bundle.ts';

async function collect(inputs: string[]): Promise<BundleEntry[]> {
  const walker = new BundleWalker();
  const entries: BundleEntry[] = [];
  try {
    for await (const entry of walker.walk(inputs)) {
      // Read each file while the walker is paused on it, as the importer does.
      if (entry.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of openContent(entry)) chunks.push(chunk as Buffer);
        (entry as BundleEntry & { content?: string }).content = Buffer.concat(chunks).toString('utf8');
      }
      entries.push(entry);
    }
  } finally {
    await walker.dispose();
  }
  return entries;
}

describe('BundleWalker', () => {
  it('walks a folder in sorted order and hashes each file as stored', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
    await writeFile(path.join(dir, 'b.log'), 'second\n');
    await writeFile(path.join(dir, 'a.log.gz'), gzipSync('first\n'));
    const entries = await collect([dir]);
    expect(entries.map((entry) => entry.path)).toEqual([`${path.basename(dir)}/a.log.gz`, `${path.basename(dir)}/b.log`]);
    const [gz, plain] = entries as (BundleEntry & { content: string; sha256: string })[];
    expect(gz!.content).toBe('first\n');
    expect(gz!.sha256).toBe(sha256(await readFile(path.join(dir, 'a.log.gz'))));
    expect(plain!.sha256).toBe(sha256('second\n'));
  });

  it('opens zip, tar, tar.gz and an archive nested in another', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
    const inner = makeZip([{ name: 'dns.09:00:00-10:00:00.log', data: 'inner\n' }], { deflate: true });
    const tarball = await makeTar(
      [
        { name: 'logs/conn.log', data: 'conn\n' },
        { name: 'logs/nested.zip', data: inner },
      ],
      { gzip: true },
    );
    await writeFile(path.join(dir, 'bundle.tar.gz'), tarball);
    await writeFile(path.join(dir, 'plain.tar'), await makeTar([{ name: 'x.txt', data: 'x\n' }]));
    await writeFile(path.join(dir, 'stored.zip'), makeZip([{ name: 'folder/y.txt', data: 'y\n' }]));
    const entries = await collect([dir]);
    const root = path.basename(dir);
    const summary = entries.map((entry) => `${entry.type}:${entry.path.slice(root.length + 1)}`);
    expect(summary).toEqual([
      'container:bundle.tar.gz',
      'file:bundle.tar.gz/logs/conn.log',
      'container:bundle.tar.gz/logs/nested.zip',
      'file:bundle.tar.gz/logs/nested.zip/dns.09:00:00-10:00:00.log',
      'container:plain.tar',
      'file:plain.tar/x.txt',
      'container:stored.zip',
      'file:stored.zip/folder/y.txt',
    ]);
    const nested = entries.find((entry) => entry.path.endsWith('dns.09:00:00-10:00:00.log')) as BundleEntry & {
      content: string;
      sha256: string;
      container: string;
    };
    expect(nested.content).toBe('inner\n');
    expect(nested.sha256).toBe(sha256('inner\n'));
    expect(nested.container).toBe(`${root}/bundle.tar.gz/logs/nested.zip`);
    const container = entries.find((entry) => entry.path.endsWith('nested.zip')) as BundleEntry & { sha256: string };
    expect(container.sha256).toBe(sha256(inner));
  });

  it('reports a missing path and a damaged zip as problems and goes on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
    await writeFile(path.join(dir, 'broken.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]));
    await writeFile(path.join(dir, 'ok.log'), 'ok\n');
    const entries = await collect([path.join(dir, 'missing'), dir]);
    expect(entries[0]).toMatchObject({ type: 'problem', path: path.join(dir, 'missing') });
    expect(
      entries.some((entry) => entry.type === 'problem' && entry.path.endsWith('broken.zip') && /invalid zip/.test(entry.message)),
    ).toBe(true);
    expect(entries.some((entry) => entry.type === 'file' && entry.path.endsWith('ok.log'))).toBe(true);
  });

  it('keeps reading a zip past a member with an unsafe name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bundle-'));
    const zip = makeZip([
      { name: '../../escape.log', data: 'first\n' },
      { name: '/absolute.log', data: 'second\n' },
      { name: 'inside/ok.log', data: 'third\n' },
    ]);
    await writeFile(path.join(dir, 'names.zip'), zip);
    const entries = await collect([path.join(dir, 'names.zip')]);
    const files = entries.filter((entry) => entry.type === 'file') as (BundleEntry & { content: string })[];
    expect(files.map((file) => file.path)).toEqual(['names.zip/../../escape.log', 'names.zip//absolute.log', 'names.zip/inside/ok.log']);
    expect(files.map((file) => file.content)).toEqual(['first\n', 'second\n', 'third\n']);
  });
});
