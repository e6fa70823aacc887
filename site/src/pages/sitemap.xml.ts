// The sitemap: every indexable page of this build, with the snapshot's date as lastmod.
import type { APIRoute } from 'astro';
import { getSite } from '../data.ts';

export const GET: APIRoute = async ({ site: origin }) => {
  if (!origin) throw new Error('The sitemap needs `site` in astro.config.mjs (AFWD_SITE_URL).');
  const { meta, prospects, organizations, positions, pageSize } = await getSite();
  const base = import.meta.env.BASE_URL;
  const pages = Math.ceil(prospects.length / pageSize);
  const paths = [
    base,
    ...Array.from({ length: Math.max(0, pages - 1) }, (_, i) => `${base}rankings/${i + 2}/`),
    `${base}organizations/`,
    ...organizations.map((o) => `${base}organizations/${o.slug}/`),
    `${base}positions/`,
    ...positions.map((p) => `${base}positions/${p.slug}/`),
    `${base}movers/`,
    `${base}methodology/`,
    // The account pages are noindex (nothing in them for a search engine); the compare page is for everybody.
    `${base}compare/`,
    ...prospects.map((p) => `${base}prospects/${p.slug}/`),
  ];
  const lastmod = meta.generatedAt.slice(0, 10);
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...paths.map((path) => `<url><loc>${new URL(path, origin).href}</loc><lastmod>${lastmod}</lastmod></url>`),
    '</urlset>',
    '',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
