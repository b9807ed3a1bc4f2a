/**
 * The local-order numbers that datasets store (/meta columns) and the network's `local_order` head
 * predicts, in this order (src/analysis/localOrder.ts computes them). Browser-safe: no imports.
 */
export const LOCAL_ORDER_COLUMNS = [
  'pairs_1551',
  'pairs_1421',
  'pairs_1422',
  'cna_fcc',
  'cna_hcp',
  'cna_bcc',
  'cna_ico',
  'cna_other',
] as const;
export type LocalOrderColumn = (typeof LOCAL_ORDER_COLUMNS)[number];
