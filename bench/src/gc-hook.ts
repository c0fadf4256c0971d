// Preloaded (`--expose-gc --import`) into every Node server the bench measures, never edited
// into them: SIGUSR2 runs a full GC so the RSS read from /proc afterwards is live memory, not
// garbage waiting for a collection.

const gc = (globalThis as { gc?: () => void }).gc;
if (gc) process.on('SIGUSR2', () => gc());
