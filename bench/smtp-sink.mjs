// The dispatch benchmark's mail server: a real SMTP server (smtp-server) on 127.0.0.1 that
// accepts every message, drains its data without parsing it and counts it, so the sink is
// never what limits the sender. Run as its own process by bench/dispatch.mjs (fork, IPC), so
// the sender being measured has a CPU and event loop apart from it.
//   IPC in:  { type: "reset" }   forget what was counted
//            { type: "stats" }   answer with what was counted
//   IPC out: { type: "listening", port }
//            { type: "stats", count, bytes, first, last, cpuMs }   (first/last: epoch ms, sub-ms
//            precision; cpuMs: the sink's own CPU time since the reset)
import { SMTPServer } from "smtp-server";

const clock = () => performance.timeOrigin + performance.now();
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const fresh = () => ({ count: 0, bytes: 0, first: null, last: null, cpuFrom: cpuMs() });
let stats = fresh();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  // No reverse DNS of 127.0.0.1 for every new connection (nodemailer's pool opens a new one
  // every 100 messages): on a machine without a resolver it waits for a timeout each time.
  disableReverseLookup: true,
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on("data", (chunk) => {
      bytes += chunk.length;
    });
    stream.on("end", () => {
      const at = clock();
      stats.count += 1;
      stats.bytes += bytes;
      stats.first ??= at;
      stats.last = at;
      callback();
    });
  },
});

process.on("message", (message) => {
  if (message.type === "reset") stats = fresh();
  if (message.type === "stats")
    process.send({ type: "stats", count: stats.count, bytes: stats.bytes, first: stats.first, last: stats.last, cpuMs: cpuMs() - stats.cpuFrom });
});
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => process.send({ type: "listening", port: server.server.address().port }));
