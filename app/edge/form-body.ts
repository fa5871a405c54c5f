// Reads a shopper's form (multipart or URL-encoded) within caps, refusing as early as the body
// shows it is too much: by its Content-Length before a byte is read, and while it streams (a
// chunked body has no length) by its running size, the number of its parts and of its files.
// Nothing past a cap is kept in memory.
import { unstable_parseMultipartFormData as parseMultipartFormData, type UploadHandler } from "@remix-run/node";

export type FormCaps = {
  /** The whole body, in bytes. */
  maxBytes: number;
  /** Parts (fields and files) or URL-encoded pairs. */
  maxParts: number;
  /** One text field, in bytes. */
  maxFieldBytes: number;
  /** Files with content (a file input left empty sends a part with no name, which is a field). */
  maxFiles: number;
  maxFileBytes: number;
};

/** Why a form was refused: the whole body, too many parts, too many files, one file or field too big, or not a form. */
export type FormRefusal = "body" | "parts" | "files" | "file" | "malformed";
export type FormRead = { form: FormData } | { refused: FormRefusal; status: 400 | 413 };

class Refused extends Error {
  constructor(readonly reason: Exclude<FormRefusal, "malformed">) {
    super(`form refused: ${reason}`);
  }
}

export async function readCappedForm(request: Request, caps: FormCaps): Promise<FormRead> {
  if (!request.body) return { refused: "malformed", status: 400 };
  const source = request.body.getReader();
  const refuse = (reason: FormRefusal): FormRead => {
    void discardRest(source, caps.maxBytes);
    return { refused: reason, status: reason === "malformed" ? 400 : 413 };
  };
  if (Number(request.headers.get("Content-Length") ?? 0) > caps.maxBytes) return refuse("body");
  const type = request.headers.get("Content-Type") ?? "";
  const body = capped(source, caps.maxBytes);
  try {
    if (/^multipart\/form-data\s*;/i.test(type)) {
      const init = { method: "POST", headers: request.headers, body, duplex: "half" } as RequestInit;
      return { form: await parseMultipartFormData(new Request(request.url, init), partCounter(caps)) };
    }
    if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
      const pairs = new URLSearchParams(await new Response(body).text());
      if ([...pairs.keys()].length > caps.maxParts) return refuse("parts");
      const form = new FormData();
      for (const [name, value] of pairs) form.append(name, value);
      return { form };
    }
    return refuse("malformed");
  } catch (error) {
    // Anything else the parser throws means the body is not well-formed multipart.
    return refuse(error instanceof Refused ? error.reason : "malformed");
  }
}

/** A JSON body within `maxBytes` (by its Content-Length, then as it streams): the parsed value, or why not. */
export async function readCappedJson(request: Request, maxBytes: number): Promise<{ json: unknown } | { refused: "body" | "malformed"; status: 400 | 413 }> {
  if (!request.body) return { refused: "malformed", status: 400 };
  const source = request.body.getReader();
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes) {
    void discardRest(source, maxBytes);
    return { refused: "body", status: 413 };
  }
  let text: string;
  try {
    text = await new Response(capped(source, maxBytes)).text();
  } catch {
    void discardRest(source, maxBytes);
    return { refused: "body", status: 413 };
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { refused: "malformed", status: 400 };
  }
}

/** The body, erroring once more than `maxBytes` have come through. */
function capped(source: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await source.read();
      if (done) return controller.close();
      size += value.byteLength;
      if (size > maxBytes) controller.error(new Refused("body"));
      else controller.enqueue(value);
    },
  });
}

/**
 * After a refusal, reads on and throws away at most `budget` more bytes, then drops the
 * connection. A browser reads the answer only once it has sent its whole upload, so a shopper
 * who picked one photo too many still sees the 413's message; a client sending far more than
 * any form holds is cut off. Memory stays flat either way.
 */
async function discardRest(source: ReadableStreamDefaultReader<Uint8Array>, budget: number) {
  try {
    for (let left = budget; left > 0;) {
      const { done, value } = await source.read();
      if (done) return;
      left -= value.byteLength;
    }
    await source.cancel();
  } catch {
    // The client has gone already.
  }
}

/** Keeps fields and files in memory, refusing the part beyond the caps as soon as it starts. */
function partCounter(caps: FormCaps): UploadHandler {
  let parts = 0;
  let files = 0;
  return async ({ filename, contentType, data }) => {
    if (++parts > caps.maxParts) throw new Refused("parts");
    const isFile = typeof filename === "string" && filename !== "";
    if (isFile && ++files > caps.maxFiles) throw new Refused("files");
    const limit = isFile ? caps.maxFileBytes : caps.maxFieldBytes;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > limit) throw new Refused(isFile ? "file" : "body");
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    if (isFile) return new File([bytes as Uint8Array<ArrayBuffer>], filename, { type: contentType });
    return typeof filename === "string" ? undefined : bytes.toString("utf8");
  };
}

/** A form field sent exactly once, as text; null when it is missing, repeated or a file. */
export function singleField(form: FormData, name: string): string | null {
  const values = form.getAll(name);
  return values.length === 1 && typeof values[0] === "string" ? values[0] : null;
}
