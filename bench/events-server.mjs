// The server side of bench/events.mjs: `tickfleet serve`'s event routes on the
// built library, in its own process so its memory is measured alone. Tells its
// parent the URL, then its RSS whenever asked.
import { layoutFor } from '../dist/core/paths.js';
import { eventRoutes } from '../dist/serve/events/eventRoutes.js';
import { startEventFeed } from '../dist/serve/events/feed.js';
import { startServer } from '../dist/serve/server.js';

const layout = layoutFor(process.argv[2]);
const feed = await startEventFeed(layout, { capacity: 1000 });
const server = await startServer({
  layout,
  host: '127.0.0.1',
  port: 0,
  apiKey: 'bench',
  routes: eventRoutes(async () => feed),
});
process.on('message', (m) => {
  if (m === 'rss') {
    globalThis.gc?.();
    process.send({ rss: process.memoryUsage().rss, subscribers: feed.log.subscribers });
  }
  if (m === 'stop') void Promise.all([server.close(), feed.close()]).then(() => process.exit(0));
});
process.send({ url: server.url });
