import net from 'node:net';
import { afterEach } from 'vitest';

const servers: net.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((ok) => s.close(() => ok()))));
});

function listen(): Promise<net.Server> {
  return new Promise((ok, fail) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

/** The URL of a bare TCP listener on 127.0.0.1, closed after the current test: an API endpoint that "answers". */
export async function listeningUrl(): Promise<string> {
  const server = await listen();
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A port that was free a moment ago and has nothing listening: an endpoint that refuses connections. */
export async function closedUrl(): Promise<string> {
  const server = await listen();
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return `http://127.0.0.1:${port}`;
}

/** A client environment that passes the start checks: a key, and an endpoint that answers. */
export async function healthyClientEnv(): Promise<Record<string, string>> {
  return { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: await listeningUrl() };
}

/** The `claude:` block of an agents.yaml whose default client passes the start checks. */
export async function healthyClaudeBlock(): Promise<string> {
  const env = await healthyClientEnv();
  return ['claude:', '  env:', ...Object.entries(env).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)].join('\n');
}
