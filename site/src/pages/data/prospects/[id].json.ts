// One small JSON card per prospect (compare-data.ts) for the compare page: static, so it works without the API.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSite } from '../../../data.ts';
import { compareCard } from '../../../../compare-data.ts';

export const getStaticPaths = (async () => {
  const { prospects } = await getSite();
  return prospects.map((prospect) => ({ params: { id: String(prospect.playerId) }, props: { prospect } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response(JSON.stringify(compareCard(props.prospect as Parameters<typeof compareCard>[0])), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
