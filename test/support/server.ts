import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The `hisob` executable of this checkout. */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hisob.js');

/** A running `hisob serve` child process. */
export type ServerProcess = {
  child: ChildProcess;
  url: string;
  log: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
};

/** Starts `hisob serve` on a free port (PGlite unless env says otherwise) and waits until it is ready. */
export async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (b: Buffer) => {
    out += b.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  const deadline = Date.now() + 280_000;
  while (Date.now() < deadline) {
    const m = /"url":"(http:\/\/[^"]+)".*hisob is ready/.exec(out);
    if (m?.[1]) return { child, url: m[1], log: () => out, exited, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${out}`);
}
