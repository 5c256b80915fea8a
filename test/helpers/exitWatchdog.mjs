// Preloaded into every test file's process by scripts/run-tests.mjs. Once a file's last test has
// finished, the process should exit by itself; if a leaked handle (a timer, a socket, a child
// process) keeps it alive, this names what is still open and fails the file within seconds
// instead of letting it hang until --test-timeout.
import { after } from 'node:test';

const GRACE_MS = 20_000;

function describeHandle(h) {
  const name = h?.constructor?.name ?? typeof h;
  if (name === 'ChildProcess') return `child process \`${h.spawnargs?.join(' ')}\``;
  if (name === 'Socket' && h._handle?.fd >= 0 && h._handle.fd <= 2) return undefined; // the process's own stdio
  if (name === 'Socket') return `socket ${h.remoteAddress ?? '(pipe)'}:${h.remotePort ?? ''}`;
  if (name === 'Server') return `server ${JSON.stringify(h.address?.())}`;
  return name;
}

after(() => {
  setTimeout(() => {
    const handles = process._getActiveHandles().map(describeHandle).filter(Boolean);
    const resources = process.getActiveResourcesInfo();
    resources.splice(resources.lastIndexOf('Timeout'), 1); // this watchdog's own timer
    process.stderr.write(
      `\n[exit-watchdog] ${process.argv[1] ?? 'this test file'} finished its tests ${GRACE_MS / 1000} s ago but did not exit: ` +
        `a test leaked ${JSON.stringify(resources)}${handles.length ? ` (${handles.join('; ')})` : ''}.\n`,
    );
    process.exit(1);
  }, GRACE_MS).unref();
});
