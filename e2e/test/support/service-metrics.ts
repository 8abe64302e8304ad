/** The sum of a counter over all its label sets, read from a service's /metrics. */
export async function readCounter(origin: string, metric: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))) total += Number(match[1]);
  return total;
}
