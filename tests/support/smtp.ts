// A real SMTP server on 127.0.0.1 that keeps what it receives, parsed as a mail client would.
// It can refuse for a while (451, a transient failure) or hang (a stuck server), from the
// start or after accepting a given number of messages (a server that stalls mid-batch).
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Received = ParsedMail & { envelopeTo: string[]; raw: string };
export type SmtpMode = "accept" | "refuse" | "hang";
export type SmtpSink = {
  url: string;
  port: number;
  /** The messages it accepted (answered 250). */
  received: Received[];
  /** Every message whose DATA arrived in full, with how it was answered. */
  arrivals: { messageId: string | undefined; answer: SmtpMode }[];
  /** "accept" (default), "refuse" (451 on DATA), or "hang" (never answer DATA). */
  mode: SmtpMode;
  /** When a number: accept that many more messages whatever `mode` says, then hang on every later one. */
  hangAfter: number | null;
  close(): Promise<void>;
};

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const sink = { received: [] as Received[], arrivals: [] as SmtpSink["arrivals"], mode: "accept", hangAfter: null } as SmtpSink;
  const answerNext = (): SmtpMode => {
    if (sink.hangAfter === null) return sink.mode;
    if (sink.hangAfter === 0) return "hang";
    sink.hangAfter--;
    return "accept";
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const answer = answerNext();
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        sink.arrivals.push({ messageId: parsed.messageId, answer });
        if (answer === "hang") return;
        if (answer === "refuse") {
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          return;
        }
        sink.received.push(Object.assign(parsed, { envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.server.address() as AddressInfo).port;
  sink.port = actualPort;
  sink.url = `smtp://127.0.0.1:${actualPort}?ignoreTLS=true`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
