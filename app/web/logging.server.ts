// The request log: what may appear in it (paths without their one-time tokens or query strings), and how its
// lines reach standard output.

export function loggablePath(url: string): string {
  return url.split("?")[0].replace(/^(https?:\/\/[^/]+)?\/(confirm|reset-password)\/[^/]+/, "$1/$2/…");
}

/** Writers with lines still held, flushed when the process exits. */
const holding = new Set<() => void>();
let flushesOnExit = false;

/**
 * A log whose lines of one turn of the event loop go out in one write, at the end of that turn (setImmediate).
 * Standard output to a pipe or a file is written synchronously on the event loop, one system call a write; a line
 * a request cost the sign-in page about 5 % of its CPU. Nothing is dropped or reordered: lines held when the
 * process exits (process.exit, an uncaught error) are written then; only a kill -9 can lose the last turn's lines.
 */
export function heldLines(write: (text: string) => void): (line: string) => void {
  let held: string[] = [];
  const flush = () => {
    holding.delete(flush);
    if (!held.length) return;
    const text = held.join("");
    held = [];
    write(text);
  };
  if (!flushesOnExit) {
    flushesOnExit = true;
    process.on("exit", flushHeldLines);
  }
  return (line) => {
    held.push(`${line}\n`);
    if (!holding.has(flush)) {
      holding.add(flush);
      setImmediate(flush);
    }
  };
}

/** Writes every line still held, now (at exit; tests). */
export function flushHeldLines(): void {
  for (const flush of [...holding]) flush();
}
