// Tests for the build integrations: what the service worker precaches, its script, the PNG icons, Pagefind's input.
import { Script } from 'node:vm';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, iconPng } from './icons.ts';
import { indexableHtml, pageUrl } from './pagefind-integration.ts';
import { pageAssets, serviceWorker } from './pwa-integration.ts';

describe('pageAssets', () => {
  it('finds same-origin stylesheets, scripts, icons and the manifest', () => {
    const html = `<link rel="stylesheet" href="/_astro/a.css"><link rel="canonical" href="/x/">
      <link rel="icon" href="/icon.svg" type="image/svg+xml"><link rel="manifest" href="/manifest.webmanifest">
      <script type="module" src="/search.js"></script><script src="https://cdn.example/x.js"></script>
      <a href="/prospects/a/">A</a><link rel="stylesheet" href="//cdn.example/y.css">`;
    expect(pageAssets(html, '/').sort()).toEqual(['/_astro/a.css', '/icon.svg', '/manifest.webmanifest', '/search.js']);
  });
});

describe('serviceWorker', () => {
  it('precaches the given files under a versioned cache and leaves search to the network', () => {
    const sw = serviceWorker('abc', ['/', '/offline/'], '/');
    expect(sw).toContain('const CACHE = "afwd-abc";');
    expect(sw).toContain('const PRECACHE = ["/","/offline/"];');
    expect(sw).toContain('const SEARCH = "/pagefind/";');
    // It must parse as a script.
    expect(() => new Script(sw)).not.toThrow();
  });
});

describe('PNG icons', () => {
  it('encodes a valid RGBA PNG', () => {
    const png = encodePng(2, 1, new Uint8Array([255, 0, 0, 255, 0, 0, 255, 128]));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(2);
    expect(png.readUInt32BE(20)).toBe(1);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...raw]).toEqual([0, 255, 0, 0, 255, 0, 0, 255, 128]);
    expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });

  it('draws the icon at the asked size', () => {
    const png = iconPng(48);
    expect(png.readUInt32BE(16)).toBe(48);
    expect(png.readUInt32BE(20)).toBe(48);
  });
});

describe('Pagefind input', () => {
  it('drops charts and tables, keeps the markup Pagefind reads', () => {
    const html =
      '<html lang="en"><body><article data-pagefind-body data-pagefind-filter="type:Hitter"><h1>Jo</h1>' +
      '<svg role="img"><title>t</title><text>x</text></svg><p data-pagefind-filter="level">AA</p>' +
      '<table><tr><td>Someone Else</td></tr></table></article></body></html>';
    expect(indexableHtml(html)).toBe(
      '<html lang="en"><body><article data-pagefind-body data-pagefind-filter="type:Hitter"><h1>Jo</h1>' +
        '<p data-pagefind-filter="level">AA</p></article></body></html>',
    );
    expect(pageUrl('prospects/jo-1/index.html')).toBe('/prospects/jo-1/');
    expect(pageUrl('404.html', '/base/')).toBe('/base/404.html');
  });
});
