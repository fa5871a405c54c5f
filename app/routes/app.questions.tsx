// Questions: what shoppers asked about products, with views (unanswered, waiting for you,
// published, hidden) and a product filter; published or hidden one by one or in bulk. Open one
// to answer it and to read buyers' answers.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text, useBreakpoints } from "@shopify/polaris";
import { FilterSelect, ListPages, useBulkSelection, useListNavigation } from "~/components/list-navigation";
import { ReviewStatusBadge } from "~/components/review-display";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { listQuestions, parseQuestionFilters, QUESTIONS_PAGE_SIZE, setQuestionStatus } from "~/modules/questions/moderation";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filters = parseQuestionFilters(new URL(request.url).searchParams);
  const [shop, list] = await Promise.all([getShop(session.shop), listQuestions(session.shop, filters)]);
  const zone = shop?.timezone ?? "UTC";
  return {
    ...list,
    pages: Math.max(1, Math.ceil(list.total / QUESTIONS_PAGE_SIZE)),
    rows: list.rows.map((row) => ({ ...row, createdAt: formatShopTime(row.createdAt, zone, "date") })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const ids = form.getAll("id").map(String);
  if ((intent !== "publish" && intent !== "hide") || ids.length === 0) return Response.json({ error: "Choose questions and an action." }, { status: 400 });
  const changed = await setQuestionStatus(session.shop, ids, intent === "publish" ? "published" : "hidden", now());
  return Response.json({ changed });
};

/** Whether it has an answer on the store, and whether a buyer's answer waits to be read. */
function AnswerBadges({ answered, answersWaiting }: { answered: boolean; answersWaiting: number }) {
  return (
    <InlineStack gap="100" wrap>
      {answered ? <Badge tone="success">Answered</Badge> : <Badge>No answer yet</Badge>}
      {answersWaiting > 0 ? <Badge tone="attention">{`${answersWaiting} answer${answersWaiting === 1 ? "" : "s"} to read`}</Badge> : null}
    </InlineStack>
  );
}

export default function Questions() {
  const { rows, total, waiting, page, pages, products } = useLoaderData<typeof loader>();
  const { params } = useListNavigation();
  const navigate = useNavigate();
  const { selectedResources, allResourcesSelected, handleSelectionChange, act } = useBulkSelection(rows);
  // On a phone each question is one stacked row instead of a table to scroll sideways.
  const condensed = useBreakpoints().smDown;
  const filtered = ["show", "product"].some((key) => params.get(key));
  return (
    <Page title="Questions" subtitle={waiting > 0 ? `${waiting} waiting for you` : "What shoppers asked about your products"} backAction={{ url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineStack gap="300" wrap blockAlign="end">
              <FilterSelect
                name="show"
                label="Show"
                options={[
                  { label: "All questions", value: "" },
                  { label: "Unanswered", value: "unanswered" },
                  { label: "Waiting for you", value: "waiting" },
                  { label: "Published", value: "published" },
                  { label: "Hidden", value: "hidden" },
                ]}
              />
              <FilterSelect
                name="product"
                label="Product"
                options={[{ label: "All products", value: "" }, ...products.map((p) => ({ label: p.title, value: p.id }))]}
              />
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {rows.length === 0 ? (
              <EmptyState heading={filtered ? "No questions match these filters" : "No questions yet"} image="">
                <p>{filtered ? "Try another filter." : "Add the questions block to your product pages; what shoppers ask appears here for you to answer."}</p>
              </EmptyState>
            ) : (
              <IndexTable
                condensed={condensed}
                resourceName={{ singular: "question", plural: "questions" }}
                itemCount={rows.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                promotedBulkActions={[
                  { content: "Publish", onAction: () => act("publish") },
                  { content: "Hide", onAction: () => act("hide") },
                ]}
                headings={[{ title: "Question" }, { title: "Product" }, { title: "Asked by" }, { title: "Answers" }, { title: "Status" }]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row
                    id={row.id}
                    key={row.id}
                    position={index}
                    selected={selectedResources.includes(row.id)}
                    onClick={() => navigate(`/app/questions/${row.id}`)}
                  >
                    {condensed ? (
                      <div style={{ padding: "12px 16px" }}>
                        <BlockStack gap="100">
                          <InlineStack align="space-between" blockAlign="center" wrap={false} gap="200">
                            <Text as="span" fontWeight="semibold" truncate>
                              {row.productTitle}
                            </Text>
                            <ReviewStatusBadge status={row.status} />
                          </InlineStack>
                          <Text as="span" truncate>
                            {row.body}
                          </Text>
                          <AnswerBadges answered={row.answered} answersWaiting={row.answersWaiting} />
                          <Text as="span" tone="subdued" variant="bodySm">{`${row.askerName} · ${row.createdAt}`}</Text>
                        </BlockStack>
                      </div>
                    ) : (
                      <>
                        <IndexTable.Cell>
                          <div style={{ maxWidth: 380, whiteSpace: "normal" }}>
                            <Text as="span">{row.body}</Text>
                          </div>
                        </IndexTable.Cell>
                        <IndexTable.Cell>{row.productTitle}</IndexTable.Cell>
                        <IndexTable.Cell>
                          <BlockStack gap="100">
                            <Text as="span">{row.askerName}</Text>
                            <Text as="span" tone="subdued" variant="bodySm">
                              {row.createdAt}
                            </Text>
                          </BlockStack>
                        </IndexTable.Cell>
                        <IndexTable.Cell>
                          <AnswerBadges answered={row.answered} answersWaiting={row.answersWaiting} />
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
            <ListPages page={page} pages={pages} total={total} noun="questions" />
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
