import { createLogger, createRegistry, onShutdown, startHttpServer } from '@wasock/runtime';
import { parseCliArgs, USAGE } from './cli-args.ts';
import { createControlHandler } from './control-api.ts';
import { WaSimServer } from './sim-server.ts';

// `node packages/wa-sim/src/main.ts --port 9000 --control-port 9001`: the simulator standalone.
const logger = createLogger({ name: 'wa-sim' });
let args: ReturnType<typeof parseCliArgs>;
try {
  args = parseCliArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`wa-sim: ${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}

const sim = new WaSimServer({
  port: args.port,
  host: args.host,
  ttlMs: args.ttlMs,
  challengeOnTakeover: args.challenge,
  ...(args.publicUrl ? { publicUrl: args.publicUrl } : {}),
  onEvent: (event, detail) => logger.info({ event, ...detail }, 'wa-sim event'),
});
await sim.listen();
const control = await startHttpServer({
  port: args.controlPort,
  host: args.host,
  registry: createRegistry('wa-sim'),
  isReady: () => true,
  handle: createControlHandler(sim),
  logger,
});
process.stdout.write(`wa-sim websocket ${sim.url}\n`);
process.stdout.write(`wa-sim media     http://${args.host}:${sim.port}/media/<id>\n`);
process.stdout.write(`wa-sim control   http://${args.host}:${control.port}\n`);

onShutdown(async () => {
  await control.close();
  await sim.close();
}, logger);
