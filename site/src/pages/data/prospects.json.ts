// The name index of every ranked prospect (compare-data.ts): the compare page's search box and the watchlist's links.
import type { APIRoute } from 'astro';
import { getSite } from '../../data.ts';
import { prospectIndex } from '../../../compare-data.ts';

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(prospectIndex((await getSite()).prospects)), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
