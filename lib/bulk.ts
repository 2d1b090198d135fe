// How many records one bulk change may touch (the side panel's bulk actions, "Create and sync N" in
// a page, and the worker that carries them out): the size of one QuickBooks batch request. No
// imports, so the content script can use it without pulling anything else in.
export const MAX_AT_ONCE = 30;
