import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { dim, print, printError } from '../output.js';
import { initialisedLayout } from '../project.js';

interface ServeOpts {
  port: string;
  host: string;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'the fleet over HTTP: a JSON API (/openapi.json describes it); reads are open from this machine, writes need the key (TICKFLEET_API_KEY, else .orchestrator/api-key)',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', '7766')
    .option('--host <host>', 'address to bind; beyond 127.0.0.1 only with TICKFLEET_API_KEY set', '127.0.0.1')
    .action(async (opts: ServeOpts, cmd: Command) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65535)
        throw new UsageError(`--port: expected a port number 0-65535, got "${opts.port}"`);
      const layout = initialisedLayout(cmd);
      const { openServe } = await import('../../serve/app.js');
      const serving = await openServe(layout, {
        host: opts.host,
        port,
        onError: (err) => printError(`serve: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      });
      print(`serving ${layout.root} at ${serving.url}`);
      const key = serving.apiKey;
      print(
        dim(
          key.source === 'env'
            ? 'writes need the key in TICKFLEET_API_KEY'
            : `writes need the key in ${key.file}${key.source === 'generated' ? ' (new)' : ''}`,
        ),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await serving.close();
    });
}
