// Scenario sizes: the numbers for the full run, tiny ones for `--quick` (which only
// proves that the suite runs and writes its report).

export interface Sizes {
  fanoutClients: number[];
  floodMs: number;
  rateMs: number;
  /** Delivered lines per second of the fixed-rate phases. */
  rateLinesPerSec: number;
  /** Most published-but-unread lines during a flood. */
  windowLines: number;
  manyTokens: number;
  clientsPerToken: number;
  idleHotClients: number;
  idleTokens: number[];
  stormTokens: number;
  stormClientsPerToken: number;
  stormFill: number;
  /** Capacity stops at the file limit or at this many clients, whichever comes first. */
  capacityMax: number;
  capacityCheckpoints: number[];
  /** Wait before and after the GC that precedes an RSS reading. */
  settleMs: number;
  ingestMs: number;
  ingestRatePerSec: number;
}

export const FULL: Sizes = {
  fanoutClients: [1_000, 10_000],
  floodMs: 8_000,
  rateMs: 8_000,
  rateLinesPerSec: 10_000,
  windowLines: 200_000,
  manyTokens: 5_000,
  clientsPerToken: 2,
  idleHotClients: 1_000,
  idleTokens: [10, 10_000],
  stormTokens: 1_000,
  stormClientsPerToken: 10,
  stormFill: 50,
  capacityMax: 21_000,
  capacityCheckpoints: [10, 1_000, 5_000, 10_000, 15_000, 19_000],
  settleMs: 1_000,
  ingestMs: 10_000,
  ingestRatePerSec: 200,
};

export const QUICK: Sizes = {
  fanoutClients: [30],
  floodMs: 300,
  rateMs: 300,
  rateLinesPerSec: 600,
  windowLines: 20_000,
  manyTokens: 10,
  clientsPerToken: 2,
  idleHotClients: 10,
  idleTokens: [2, 20],
  stormTokens: 4,
  stormClientsPerToken: 5,
  stormFill: 50,
  capacityMax: 60,
  capacityCheckpoints: [10],
  settleMs: 100,
  ingestMs: 500,
  ingestRatePerSec: 20,
};
