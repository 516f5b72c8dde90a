// The search page hydrates so results follow the typing without a full reload;
// without JavaScript its form still submits as a plain GET.
export const csr = true;
