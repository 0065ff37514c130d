/**
 * The one total order of cards (and of lists, swimlanes) on every side:
 * by position key, compared as bytes (the keys are ASCII; PostgreSQL stores
 * them with COLLATE "C" so that the database sorts them the same way), then
 * by id when two keys are equal. The server, the web and the tests sort with
 * this function.
 */
export function compareOrder(a: { position: string; id: string }, b: { position: string; id: string }): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
