import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What graceful shutdown needs to know about each connection: whether it holds a request that has not been
 * answered. `server.close()` only stops accepting; a keep-alive socket between requests, or one that connected and
 * sent nothing (or half a request), would hold the close open until the shutdown timeout. Those are closed at once;
 * a socket with a request in flight is closed as soon as its last answer is written.
 */
export function trackConnections(server: Server): { closeIdle(): void } {
  const inFlight = new Map<Socket, number>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    // A client on keep-alive would otherwise send its next request into a closing server.
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      // end() lets the answer's last bytes reach the client before the socket goes.
      if (closing && left === 0) socket.end(() => socket.destroy());
    });
  });
  return {
    closeIdle() {
      closing = true;
      for (const [socket, count] of inFlight) if (count === 0) socket.destroy();
    },
  };
}
