// The shared body of every webhooks.*.tsx route: verify (authenticate.webhook answers 401
// on a bad HMAC, 400 on missing headers), then hand the raw delivery to intake.
import { receiveDelivery } from "~/modules/intake";
import { authenticate } from "~/shopify.server";

export async function handleWebhook(request: Request): Promise<Response> {
  const body = request.clone().text();
  let shop: string;
  let webhookId: string;
  try {
    ({ shop, webhookId } = await authenticate.webhook(request));
  } catch (error) {
    // authenticate.webhook JSON-parses a correctly signed body; one that is not JSON is a 400.
    if (error instanceof SyntaxError) return new Response("Body is not JSON", { status: 400 });
    throw error;
  }
  const headers = request.headers;
  const result = await receiveDelivery(shop, {
    topic: headers.get("x-shopify-topic") ?? "",
    webhookId,
    eventId: headers.get("x-shopify-event-id"),
    triggeredAt: headers.get("x-shopify-triggered-at"),
    body: await body,
  });
  return new Response(result.status === 200 ? null : result.detail, { status: result.status });
}
