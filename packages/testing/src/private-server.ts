import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';

/**
 * A server process of the test's own on its own port, for outage drills: the shared servers are never
 * stopped. The test may kill, restart, freeze and resume it.
 */
export interface PrivateServer {
  /** Kills the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same arguments. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  dispose(): Promise<void>;
}

/** Spawns `command args` and waits until it listens on `port` (127.0.0.1). */
export async function startPrivateServer(command: string, args: readonly string[], port: number): Promise<PrivateServer> {
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(command, [...args], { stdio: 'ignore' });
    await waitForPort(command, port, 10_000);
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    kill,
    restart: start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async dispose() {
      child?.kill('SIGCONT');
      await kill();
    },
  };
}

async function waitForPort(command: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${command} did not listen on port ${port} within ${timeoutMs} ms`);
}
