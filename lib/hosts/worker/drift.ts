// Layout drift: a site profile matched a page but found no records (or nowhere to put its UI),
// so the host app's layout changed. Content scripts report it; the popup shows it, naming the page,
// until the page reads correctly again.
import { db, type Drift } from '../../db';

export type { Drift };

export async function reportDrift(d: Drift) {
  await db.drifts.put(d);
}

export async function clearDrift(profileId: string, pageId: string) {
  await db.drifts.delete([profileId, pageId]);
}

/** Every drift reported, newest first. */
export async function drifts(): Promise<Drift[]> {
  return (await db.drifts.toArray()).sort((a, b) => b.at - a.at);
}
