// Where mail goes: the SMTP server in SMTP_URL through nodemailer, or, with no SMTP_URL, the
// outbox (nothing leaves the machine; the admin shows the message as it would have been sent).
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "~/env.server";

export type OutgoingMail = {
  messageId: string;
  from: { name: string; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The one-click unsubscribe link; null for a merchant's own test email, which goes to no list. */
  unsubscribeUrl: string | null;
};

export type Mailer = {
  kind: "smtp" | "outbox";
  /** How many messages it can have on the wire at once (the SMTP pool's connections); default 5. */
  connections?: number;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
};

/** A failure worth retrying (the server or the network may recover) versus a final "no". */
export class MailError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

const TRANSIENT_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "ECONNREFUSED", "ECONNRESET", "EDNS", "EPROTOCOL"]);

function classify(error: unknown): MailError {
  const { responseCode, code, message } = error as { responseCode?: number; code?: string; message?: string };
  // SMTP 4xx: try again later; 5xx: permanent. No answer at all: the server is down, try again.
  const transient = responseCode ? responseCode < 500 : TRANSIENT_CODES.has(code ?? "") || !code;
  return new MailError(message ?? String(error), transient);
}

/** Whether mail really leaves this server; without SMTP_URL it stays in the admin's outbox. */
export function mailConfigured(smtpUrl = env().SMTP_URL): boolean {
  return Boolean(smtpUrl);
}

const SMTP_TIMEOUTS_MS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 90_000 };

export function createMailer(smtpUrl = env().SMTP_URL): Mailer {
  if (!smtpUrl) return { kind: "outbox", async send() {}, close() {} };
  // A pool keeps a few connections open across a batch instead of one handshake per message.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has("pool")) url.searchParams.set("pool", "true");
  // A stuck server must fail the send well within the worker's 5-minute lease (nodemailer would
  // wait up to 10 minutes), or another worker could take the message over while it is still
  // on the wire and send it twice. SMTP_URL can still set its own values.
  for (const [name, ms] of Object.entries(SMTP_TIMEOUTS_MS)) if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  const transport: Transporter = nodemailer.createTransport(url.toString());
  return {
    kind: "smtp",
    // nodemailer's pool opens at most maxConnections (default 5), set in SMTP_URL's query.
    connections: Number(url.searchParams.get("maxConnections")) || 5,
    async send(mail) {
      try {
        await transport.sendMail({
          messageId: mail.messageId,
          from: mail.from,
          replyTo: mail.replyTo ?? undefined,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          // RFC 8058 one-click unsubscribe: mail clients POST to the URL, no login needed.
          ...(mail.unsubscribeUrl
            ? {
                list: { unsubscribe: { url: mail.unsubscribeUrl, comment: "Unsubscribe" } },
                headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
              }
            : {}),
        });
      } catch (error) {
        throw classify(error);
      }
    },
    close: () => transport.close(),
  };
}
