// How the admin shows a review's stars and status, the same on the list and on the review.
import { Badge, Text } from "@shopify/polaris";

const STATUS: Record<string, { label: string; tone?: "success" | "attention" }> = {
  pending: { label: "Waiting", tone: "attention" },
  published: { label: "Published", tone: "success" },
  hidden: { label: "Hidden" },
};

export function ReviewStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS[status]?.tone}>{STATUS[status]?.label ?? status}</Badge>;
}

export function ReviewStars({ rating }: { rating: number }) {
  return (
    <span aria-label={`${rating} of 5 stars`} title={`${rating} of 5`} style={{ color: "#b98900", letterSpacing: 1, whiteSpace: "nowrap" }}>
      {"★".repeat(rating)}
      <Text as="span" tone="subdued">
        {"★".repeat(5 - rating)}
      </Text>
    </span>
  );
}
