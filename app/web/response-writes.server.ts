// How a response reaches the socket: its writes of one turn of the event loop in one system call.
import type { ServerResponse } from "node:http";

/**
 * Holds the response's writes corked from its first write of a turn until that turn's end (setImmediate). Node
 * corks a socket only until the next tick, and a page's chunks (the shell, the data's script) come in different
 * ticks of one turn: GET /login went from 3 writev a request to 2 (strace, 700 requests). A response that streams
 * over several turns still leaves turn by turn, and end() sends whatever is held at once, as before.
 */
export function writesByTurn(res: ServerResponse): void {
  const write = res.write;
  let held = false;
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!held && !res.writableEnded) {
      held = true;
      res.cork();
      setImmediate(() => {
        held = false;
        if (!res.writableEnded) res.uncork();
      });
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
}
