// Cursor paging for every list: the console walks Relay connections forward
// with `after`, and keeps the cursors it came through so "Previous" goes
// back without a `before` query. A change of filter starts again at page 1.
export type PageCursor = { filter: string; trail: (string | null)[] };

export const PAGE_SIZE = 25;

export function firstPage(filter: string): PageCursor {
  return { filter, trail: [null] };
}

export function after(c: PageCursor): string | null {
  return c.trail[c.trail.length - 1];
}

export function pageNumber(c: PageCursor): number {
  return c.trail.length;
}

// next moves past endCursor; the same cursor twice (a second click before
// the next page arrived) moves once.
export function next(c: PageCursor, endCursor: string | null | undefined): PageCursor {
  if (!endCursor || after(c) === endCursor) return c;
  return { ...c, trail: [...c.trail, endCursor] };
}

export function previous(c: PageCursor): PageCursor {
  if (c.trail.length <= 1) return c;
  return { ...c, trail: c.trail.slice(0, -1) };
}

// forFilter keeps the position while the filter is the same and starts over
// when it changed.
export function forFilter(c: PageCursor, filter: string): PageCursor {
  return c.filter === filter ? c : firstPage(filter);
}
