import * as hdr from 'hdr-histogram-js';

// Latencies are recorded in microseconds as integers (HDR histograms hold integers) and reported
// in milliseconds. Three significant digits keep the error under 0.1%.

/** The latency percentiles a report shows, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** A fresh latency histogram (microseconds, up to one hour). */
export function newHistogram(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 64,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** Records one latency given in milliseconds. */
export function recordMs(h: hdr.Histogram, ms: number): void {
  h.recordValue(Math.max(0, Math.round(ms * 1000)));
}

/** Serializes a histogram for sending between processes. */
export function encode(h: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Adds every encoded histogram into one. */
export function mergeEncoded(parts: string[]): hdr.Histogram {
  const total = newHistogram();
  for (const p of parts) {
    if (p === '') continue;
    total.add(hdr.decodeFromCompressedBase64(p, 64, false));
  }
  return total;
}

/** The percentiles of a histogram in milliseconds (zeros when empty). */
export function summarize(h: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}
