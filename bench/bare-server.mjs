// The benchmark's baseline: the least a webhook endpoint can do on node:http (read the body,
// check Shopify's HMAC, answer). What the app spends beyond this is the cost of Remix,
// authenticate.webhook and the intake transaction.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.SHOPIFY_API_SECRET;
if (!secret) {
  console.error("bare-server: SHOPIFY_API_SECRET is not set");
  process.exit(1);
}

function signedBySecret(body, header) {
  const expected = createHmac("sha256", secret).update(body).digest();
  const received = Buffer.from(header ?? "", "base64");
  // timingSafeEqual throws on a length mismatch, which is itself a bad signature.
  return received.length === expected.length && timingSafeEqual(received, expected);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    res.writeHead(signedBySecret(Buffer.concat(chunks), req.headers["x-shopify-hmac-sha256"]) ? 200 : 401).end();
  });
});
// Same keep-alive window as the production server (server/main.ts), so both servers hold the client's connections alike.
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 3001), () => console.log(`bare server listening on port ${server.address().port}`));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
