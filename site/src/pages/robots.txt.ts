// robots.txt pointing crawlers at the sitemap.
import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ site: origin }) => {
  const sitemap = new URL(`${import.meta.env.BASE_URL}sitemap.xml`, origin).href;
  return new Response(`User-agent: *\nAllow: /\n\nSitemap: ${sitemap}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
};
