// A real SMTP server on 127.0.0.1 that keeps what it receives, parsed as a mail client would.
// It can refuse for a while (451, a transient failure) or hang (a stuck server).
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Received = ParsedMail & { envelopeTo: string[]; raw: string };
export type SmtpSink = {
  url: string;
  port: number;
  received: Received[];
  /** "accept" (default), "refuse" (451 on DATA), or "hang" (never answer DATA). */
  mode: "accept" | "refuse" | "hang";
  close(): Promise<void>;
};

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const sink = { received: [] as Received[], mode: "accept" as SmtpSink["mode"] } as SmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (sink.mode === "hang") return;
        if (sink.mode === "refuse") {
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
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
