// Pages are plain server-rendered HTML: no client JavaScript until a page needs it.
export const csr = false;
