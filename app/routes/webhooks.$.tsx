// Every webhook topic, at /webhooks/<topic> (topics hold a slash, hence the splat): what
// `shopify app dev` serves. The edge (app/edge/webhooks.ts) checks and stores the delivery; in
// production the server feeds the same door straight from node:http.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/edge/webhooks";

export const action = ({ request }: ActionFunctionArgs) => handleWebhook(request);
