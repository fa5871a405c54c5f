// All of the shop's reviews as CSV, in the documented column set the import reads.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportReviewsCsv } from "~/modules/reviews/csv";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const csv = await exportReviewsCsv(session.shop);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="reviews-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
