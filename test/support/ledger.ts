/** What a client got compared with what was sent: the exactly-once check of the fault suite. */
export interface LedgerResult {
  sent: number;
  received: number;
  lost: string[];
  duplicated: string[];
  outOfOrder: number;
}

/**
 * Compares the ids a client received with the ids sent (in send order per session): lost ids,
 * ids seen more than once, and how many arrived before an id that was sent earlier.
 */
export function compareLedger(sent: string[], received: string[]): LedgerResult {
  const order = new Map(sent.map((id, i) => [id, i]));
  const seen = new Map<string, number>();
  let outOfOrder = 0;
  let last = -1;
  for (const id of received) {
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const pos = order.get(id);
    if (pos === undefined) continue;
    if (pos < last) outOfOrder++;
    last = Math.max(last, pos);
  }
  return {
    sent: sent.length,
    received: received.length,
    lost: sent.filter((id) => !seen.has(id)),
    duplicated: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    outOfOrder,
  };
}
