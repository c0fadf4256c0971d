import type { LatencySummary } from './histogram.ts';
import type { SystemId } from './systems.ts';

export type ScenarioId = 'fanout' | 'many-tokens' | 'idle-tokens' | 'storm' | 'capacity' | 'ingest';

/** One figure set: a scenario case measured on one system. */
export interface Measurement {
  scenario: ScenarioId;
  /** Which variant of the scenario: `flood`, `rate`, `10 idle`… */
  case: string;
  system: SystemId | 'session-worker';
  /** Client connections during the measurement. */
  clients: number;
  /** Named figures: eventsPerSec, lost, serverCpuS, rssPerConnBytes… */
  figures: Record<string, number>;
  latency?: LatencySummary;
  /** Why a system could not do this case (it is still listed, so the gap is visible). */
  error?: string;
  notes?: string[];
}
