/**
 * Helpers for the browser tests: checks that run inside a page (passed to page.evaluate, so each is
 * self-contained) and a crawler that follows every internal link of a served site.
 */

// The project compiles without the DOM library (it is Node code); the page-side functions below use these
// browser globals, declared loosely for this module only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const navigator: any;
declare const getComputedStyle: (el: any) => any;
declare const Node: { TEXT_NODE: number };
type El = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The rows a rankings table shows, in order: their data attributes, name and dynasty value. */
export function visibleRankingRows(): Array<{ name: string; value: string } & Record<string, string | undefined>> {
  return Array.from(document.querySelectorAll('#rankings tbody tr:not([hidden])') as El[]).map((tr: El) => ({
    ...tr.dataset,
    name: tr.querySelector('th').textContent.trim(),
    value: tr.querySelector('[data-value]').textContent.trim(),
  }));
}

/** A short name for the focused element: its id, class or text. */
export function focusedName(): string {
  const el = document.activeElement;
  return el.id || el.className || el.textContent?.trim() || el.tagName;
}

export function serviceWorkerControls(): boolean {
  return navigator.serviceWorker.controller !== null;
}

/** Pixels the document is wider than the viewport (0 = no horizontal scroll). */
export function horizontalOverflow(): number {
  return Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth);
}

/** Form controls with no accessible label. */
export function unlabelledControls(): string[] {
  return Array.from(document.querySelectorAll('input, select, textarea, button'))
    .filter((el: El) => {
      const control = el;
      if (control.type === 'hidden') return false;
      const labelled =
        (control.labels?.length ?? 0) > 0 ||
        control.getAttribute('aria-label') ||
        control.getAttribute('aria-labelledby');
      return !labelled && !(el.tagName === 'BUTTON' && el.textContent?.trim());
    })
    .map((el: El) => el.outerHTML.slice(0, 80));
}

/** Images (and SVG charts) without alt text or a title/description they are labelled by. */
export function unnamedImages(): string[] {
  const problems: string[] = [];
  for (const img of Array.from(document.querySelectorAll('img') as El[])) {
    if (!img.hasAttribute('alt')) problems.push(img.outerHTML.slice(0, 80));
  }
  for (const svg of Array.from(document.querySelectorAll('svg') as El[])) {
    if (svg.getAttribute('aria-hidden') === 'true') continue;
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    const text = ids
      .map((id: string) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ')
      .trim();
    if (svg.getAttribute('role') !== 'img' || ids.length < 2 || !text) problems.push(svg.outerHTML.slice(0, 80));
  }
  return problems;
}

/** Visible text whose contrast against its background is below WCAG AA (4.5:1, or 3:1 for large text). */
export function contrastFailures(): string[] {
  const parse = (color: string): number[] => (color.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
    const [lr, lg, lb] = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
  };
  const background = (el: El): number[] => {
    for (let node = el; node; node = node.parentElement) {
      const rgba = parse(getComputedStyle(node).backgroundColor);
      if (rgba.length === 3 || (rgba[3] ?? 0) > 0.5) return rgba;
    }
    return [255, 255, 255];
  };
  const failures: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*') as El[])) {
    if (el.closest('svg, script, style, .visually-hidden, [hidden]')) continue;
    const ownText = Array.from(el.childNodes as El[]).some(
      (n: El) => n.nodeType === Node.TEXT_NODE && n.textContent.trim(),
    );
    const box = el.getBoundingClientRect();
    if (!ownText || box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const fg = luminance(parse(style.color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(
        `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`,
      );
    }
  }
  return failures;
}

export interface CrawlResult {
  /** Every internal path fetched (without query or fragment). */
  visited: Set<string>;
  /** "path (status) linked from page" for each link that did not answer 200. */
  broken: string[];
}

/** Follows every internal href/src/loc of the site from `seeds`, fetching each target once. */
export async function crawl(origin: string, seeds: string[]): Promise<CrawlResult> {
  const visited = new Set<string>();
  const broken: string[] = [];
  const queue = seeds.map((path) => ({ path, from: '(seed)' }));
  while (queue.length > 0) {
    const batch = queue.splice(0, 16).filter(({ path }) => !visited.has(path) && visited.add(path));
    await Promise.all(
      batch.map(async ({ path, from }) => {
        const response = await fetch(`${origin}${path}`, { redirect: 'manual' });
        if (response.status !== 200) {
          broken.push(`${path} (${response.status}) linked from ${from}`);
          return;
        }
        const type = response.headers.get('content-type') ?? '';
        const body = await response.text();
        if (!/html|xml|manifest|json|javascript/.test(type)) return;
        const found = [
          ...body.matchAll(/\b(?:href|src)="([^"]+)"/g),
          ...body.matchAll(/<loc>([^<]+)<\/loc>/g),
          ...body.matchAll(/"(?:src|start_url)":\s*"([^"]+)"/g),
        ].map((m) => m[1]!);
        // The service worker's precache list.
        const precache = /const PRECACHE = (\[.*\]);/.exec(body)?.[1];
        if (precache) for (const url of JSON.parse(precache) as string[]) found.push(url);
        for (const link of found) {
          const url = new URL(link, `${origin}${path}`);
          const local = url.origin === origin || url.hostname === 'localhost';
          if (!local || link.startsWith('//')) continue;
          const target = url.pathname;
          if (!visited.has(target)) queue.push({ path: target, from: path });
        }
      }),
    );
  }
  return { visited, broken };
}
