import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { getDataRequestExport } from "~/modules/shops/overview";

// The export of one customers/data_request, as a JSON download, for this shop only.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const found = await getDataRequestExport(session.shop, params.id ?? "");
  if (!found) throw new Response("Not found", { status: 404 });
  return new Response(found.export, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${found.customerId}-data.json"`,
      "Cache-Control": "no-store",
    },
  });
};
