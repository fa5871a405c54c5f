// Reviews: every review with filters (status, rating, product, verified, photos), published or
// hidden one by one or in bulk; open one to read it whole, see its photos and reply publicly.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, Checkbox, EmptyState, IndexTable, InlineStack, Layout, Page, Text, useBreakpoints } from "@shopify/polaris";
import { formatShopTime } from "~/format";
import { listReviews, parseReviewFilters, REVIEWS_PAGE_SIZE, setReviewStatus } from "~/modules/reviews/moderation";
import { now } from "~/modules/clock";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";
import { FilterSelect, ListPages, useBulkSelection, useListNavigation } from "~/components/list-navigation";
import { ReviewStars, ReviewStatusBadge } from "~/components/review-display";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filters = parseReviewFilters(new URL(request.url).searchParams);
  const [shop, list] = await Promise.all([getShop(session.shop), listReviews(session.shop, filters)]);
  const zone = shop?.timezone ?? "UTC";
  return {
    ...list,
    pages: Math.max(1, Math.ceil(list.total / REVIEWS_PAGE_SIZE)),
    rows: list.rows.map((row) => ({
      ...row,
      photos: row.photos.length,
      createdAt: formatShopTime(row.createdAt, zone, "date"),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const ids = form.getAll("id").map(String);
  if ((intent !== "publish" && intent !== "hide") || ids.length === 0) return Response.json({ error: "Choose reviews and an action." }, { status: 400 });
  const changed = await setReviewStatus(session.shop, ids, intent === "publish" ? "published" : "hidden", now());
  return Response.json({ changed });
};

/** Downloads every review as CSV (fetch carries the admin's session token; a plain link would not). */
async function downloadExport() {
  const response = await fetch("/app/reviews/export");
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), {
    href: url,
    download: /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "reviews.csv",
  });
  link.click();
  URL.revokeObjectURL(url);
}

/** A review's title (when it has one) over the first line of its text. */
function ReviewText({ title, body }: { title: string | null; body: string }) {
  return (
    <>
      {title ? (
        <Text as="span" fontWeight="semibold">
          {title}
        </Text>
      ) : null}
      <Text as="span" tone="subdued" truncate>
        {body}
      </Text>
    </>
  );
}

export default function Reviews() {
  const { rows, total, waiting, page, pages, products } = useLoaderData<typeof loader>();
  const { params, filterBy } = useListNavigation();
  const navigate = useNavigate();
  const { selectedResources, allResourcesSelected, handleSelectionChange, act } = useBulkSelection(rows);
  // On a phone each review is one stacked row instead of a table to scroll sideways.
  const condensed = useBreakpoints().smDown;
  const filtered = ["status", "rating", "product", "verified", "photos"].some((key) => params.get(key));
  return (
    <Page
      title="Reviews"
      subtitle={waiting > 0 ? `${waiting} waiting for you to read` : "Everything your customers wrote"}
      backAction={{ url: "/app" }}
      secondaryActions={[
        { content: "Settings", url: "/app/reviews/settings" },
        { content: "Import CSV", url: "/app/reviews/import" },
        { content: "Export CSV", onAction: downloadExport },
      ]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="300" wrap blockAlign="end">
                <FilterSelect
                  name="status"
                  label="Status"
                  options={[
                    { label: "Any", value: "" },
                    { label: "Waiting", value: "pending" },
                    { label: "Published", value: "published" },
                    { label: "Hidden", value: "hidden" },
                  ]}
                />
                <FilterSelect
                  name="rating"
                  label="Rating"
                  options={[{ label: "Any", value: "" }, ...[5, 4, 3, 2, 1].map((n) => ({ label: `${n} star${n === 1 ? "" : "s"}`, value: String(n) }))]}
                />
                <FilterSelect
                  name="product"
                  label="Product"
                  options={[{ label: "All products", value: "" }, ...products.map((p) => ({ label: p.title, value: p.id }))]}
                />
                <FilterSelect
                  name="verified"
                  label="Buyer"
                  options={[
                    { label: "Anyone", value: "" },
                    { label: "Verified buyers", value: "yes" },
                    { label: "Not verified", value: "no" },
                  ]}
                />
                <Checkbox label="With photos" checked={params.get("photos") === "yes"} onChange={(checked) => filterBy("photos", checked ? "yes" : "")} />
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {rows.length === 0 ? (
              <EmptyState heading={filtered ? "No reviews match these filters" : "No reviews yet"} image="">
                <p>{filtered ? "Try another filter." : "Review requests go out 7 days after delivery; reviews appear here as customers answer."}</p>
              </EmptyState>
            ) : (
              <IndexTable
                condensed={condensed}
                resourceName={{ singular: "review", plural: "reviews" }}
                itemCount={rows.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                promotedBulkActions={[
                  { content: "Publish", onAction: () => act("publish") },
                  { content: "Hide", onAction: () => act("hide") },
                ]}
                headings={[{ title: "Rating" }, { title: "Review" }, { title: "Product" }, { title: "By" }, { title: "Status" }]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row
                    id={row.id}
                    key={row.id}
                    position={index}
                    selected={selectedResources.includes(row.id)}
                    onClick={() => navigate(`/app/reviews/${row.id}`)}
                  >
                    {condensed ? (
                      <div style={{ padding: "12px 16px" }}>
                        <BlockStack gap="100">
                          <InlineStack align="space-between" blockAlign="center">
                            <ReviewStars rating={row.rating} />
                            <ReviewStatusBadge status={row.status} />
                          </InlineStack>
                          <ReviewText title={row.title} body={row.body} />
                          <Text as="span" tone="subdued" variant="bodySm">
                            {`${row.productTitle} · ${row.authorName}${row.verified ? " (verified)" : ""} · ${row.createdAt}`}
                          </Text>
                        </BlockStack>
                      </div>
                    ) : (
                      <>
                        <IndexTable.Cell>
                          <ReviewStars rating={row.rating} />
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <div style={{ maxWidth: 360, whiteSpace: "normal" }}>
                            <BlockStack gap="100">
                              <ReviewText title={row.title} body={row.body} />
                              <InlineStack gap="200">
                                {row.photos > 0 ? <Badge>{`${row.photos} photo${row.photos === 1 ? "" : "s"}`}</Badge> : null}
                                {row.reply ? <Badge tone="info">Replied</Badge> : null}
                              </InlineStack>
                            </BlockStack>
                          </div>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{row.productTitle}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <BlockStack gap="100">
                            <Text as="span">{row.authorName}</Text>
                            <Text as="span" tone="subdued" variant="bodySm">
                              {`${row.verified ? "Verified buyer · " : ""}${row.createdAt}`}
                            </Text>
                          </BlockStack>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <ReviewStatusBadge status={row.status} />
                        </IndexTable.Cell>
                      </>
                    )}
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        {pages > 1 ? (
          <Layout.Section>
            <ListPages page={page} pages={pages} total={total} noun="reviews" />
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
