// One review, whole: its text as the customer wrote it (shown escaped), photos, the order it
// came from, publish or hide, the store's public reply, and what became of its reward.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ReviewStars, ReviewStatusBadge } from "~/components/review-display";
import { formatShopTime } from "~/format";
import { now } from "~/modules/clock";
import { REPLY_LIMIT } from "~/modules/reviews/limits";
import { findReview, replyToReview, setReviewStatus } from "~/modules/reviews/moderation";
import { reviewRewardState } from "~/modules/reviews/rewards";
import { getShop } from "~/modules/shops";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, review] = await Promise.all([getShop(session.shop), findReview(session.shop, params.id ?? "")]);
  if (!review) throw new Response("No such review", { status: 404 });
  const zone = shop?.timezone ?? "UTC";
  return {
    reward: await reviewRewardState(session.shop, review.id, zone),
    review: {
      ...review,
      createdAt: formatShopTime(review.createdAt, zone),
      repliedAt: review.repliedAt ? formatShopTime(review.repliedAt, zone) : null,
    },
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const id = params.id ?? "";
  const intent = form.get("intent");
  if (intent === "reply") {
    const found = await replyToReview(session.shop, id, String(form.get("reply") ?? ""), now());
    return found ? Response.json({ saved: "reply" }) : new Response("No such review", { status: 404 });
  }
  if (intent === "publish" || intent === "hide") {
    if (!(await findReview(session.shop, id))) return new Response("No such review", { status: 404 });
    await setReviewStatus(session.shop, [id], intent === "publish" ? "published" : "hidden", now());
    return Response.json({ saved: intent });
  }
  return Response.json({ error: "Unknown action" }, { status: 400 });
};

const SOURCE: Record<string, string> = { email: "from a review request", storefront: "written on the storefront", import: "imported" };

export default function ReviewDetail() {
  const { review, reward } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ saved?: string; error?: string }>();
  const [reply, setReply] = useState(review.reply ?? "");
  const busy = fetcher.state !== "idle";
  const submit = (intent: string, extra: Record<string, string> = {}) => fetcher.submit({ intent, ...extra }, { method: "post" });
  const statusAction =
    review.status === "published"
      ? { content: "Hide from the store", onAction: () => submit("hide"), loading: busy }
      : { content: "Publish", onAction: () => submit("publish"), loading: busy };
  return (
    <Page
      title={review.title ?? `Review of ${review.productTitle}`}
      titleMetadata={<ReviewStatusBadge status={review.status} />}
      subtitle={[review.authorName, review.verified ? "verified buyer" : "not verified", SOURCE[review.source], review.email, review.createdAt]
        .filter(Boolean)
        .join(" · ")}
      backAction={{ url: "/app/reviews" }}
      primaryAction={statusAction}
    >
      <Layout>
        {fetcher.data?.saved ? (
          <Layout.Section>
            <Banner tone="success">{fetcher.data.saved === "reply" ? "Reply saved. It shows under the review on your store." : "Saved."}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <ReviewStars rating={review.rating} />
                <Text as="span" tone="subdued">
                  {review.productTitle}
                </Text>
              </InlineStack>
              {review.title ? (
                <Text as="h2" variant="headingMd">
                  {review.title}
                </Text>
              ) : null}
              <Text as="p">
                <span style={{ whiteSpace: "pre-wrap" }}>{review.body}</span>
              </Text>
              {review.photos.length > 0 ? (
                <InlineStack gap="200" wrap>
                  {review.photos.map((photo) => (
                    <a key={photo.id} href={`/review-photos/${photo.id}`} target="_blank" rel="noreferrer">
                      <img
                        src={`/review-photos/${photo.id}`}
                        alt={`Photo from ${review.authorName}`}
                        width={140}
                        height={Math.round((140 * photo.height) / photo.width)}
                        style={{ borderRadius: 8, objectFit: "cover", maxWidth: "100%", height: "auto" }}
                      />
                    </a>
                  ))}
                </InlineStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        {reward ? (
          <Layout.Section>
            <Banner tone={reward.tone} title="Reward for this review">
              <p>{reward.text}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Your public reply
              </Text>
              <TextField
                label="Reply"
                labelHidden
                value={reply}
                onChange={setReply}
                multiline={4}
                maxLength={REPLY_LIMIT}
                autoComplete="off"
                helpText={
                  review.repliedAt
                    ? `Last saved ${review.repliedAt}. Shown under the review on your store.`
                    : "Shown under the review on your store. Thank them, or say what you're doing about it."
                }
              />
              <Box>
                <Button variant="primary" onClick={() => submit("reply", { reply })} loading={busy}>
                  {reply.trim() ? "Save reply" : "Remove reply"}
                </Button>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
