import type { ServiceProcess } from './processes.js';
import { SUBGRAPHS, type SubgraphName } from './stack-services.js';

/** The sum of a counter over all its label sets, read from a service's /metrics. */
export async function readCounter(origin: string, metric: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

/** A counter read from each subgraph's /metrics at once, by subgraph. */
export async function readSubgraphCounters(
  subgraphs: Record<SubgraphName, ServiceProcess>,
  metric: string,
): Promise<Record<SubgraphName, number>> {
  const counts = await Promise.all(SUBGRAPHS.map((name) => readCounter(subgraphs[name].origin, metric)));
  return Object.fromEntries(SUBGRAPHS.map((name, index) => [name, counts[index]!])) as Record<SubgraphName, number>;
}
