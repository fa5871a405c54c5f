// What only some flows have on their editor page: the re-order interval of each product, and
// the merchant's own "goes well with" picks.
import { Banner, BlockStack, Box, Button, Card, Divider, InlineStack, List, Text, TextField } from "@shopify/polaris";
import type { ShopifyGlobal } from "./app-bridge";

export type IntervalRow = {
  productId: string;
  title: string;
  orderedTimes: number;
  merchantDays: number | null;
  learnedDays: number | null;
  learnedFrom: number;
};

function ProblemList({ problems }: { problems?: string[] }) {
  if (!problems?.length) return null;
  return (
    <Banner tone="critical">
      <List>
        {problems.map((problem) => (
          <List.Item key={problem}>{problem}</List.Item>
        ))}
      </List>
    </Banner>
  );
}

function learnedText(row: IntervalRow, minRebuyers: number): string {
  const ordered = `Ordered ${row.orderedTimes.toLocaleString("en")} ${row.orderedTimes === 1 ? "time" : "times"}`;
  if (row.learnedDays !== null) return `${ordered} · learned: every ${row.learnedDays} days, from ${row.learnedFrom} customers who bought it again`;
  return `${ordered} · not learned yet: ${row.learnedFrom} of the ${minRebuyers} customers needed have bought it again`;
}

export function ReorderIntervals(props: {
  rows: IntervalRow[];
  total: number;
  bounds: { min: number; max: number };
  minRebuyers: number;
  values: Record<string, string>;
  onChange: (productId: string, days: string) => void;
  problems?: string[];
}) {
  const { rows, total, bounds, values } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            How long each product lasts
          </Text>
          <Text as="p" tone="subdued">
            {`Your number of days wins over the one Aftercare learns from your orders; leave it blank to use what was learned. A customer's own "remind me in…" choice wins over both. ${bounds.min}–${bounds.max} days.`}
          </Text>
        </BlockStack>
        <ProblemList problems={props.problems} />
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No products have been ordered yet. They appear here with the first orders.
          </Text>
        ) : (
          <BlockStack gap="300">
            {rows.map((row, i) => (
              <BlockStack gap="300" key={row.productId}>
                {i > 0 ? <Divider /> : null}
                <InlineStack gap="300" align="space-between" blockAlign="center" wrap={false}>
                  <Box minWidth="0">
                    <BlockStack gap="050">
                      <Text as="p" fontWeight="semibold" breakWord>
                        {row.title}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {learnedText(row, props.minRebuyers)}
                      </Text>
                    </BlockStack>
                  </Box>
                  <div style={{ width: 116, flexShrink: 0 }}>
                    <TextField
                      label={`Re-order interval for ${row.title}`}
                      labelHidden
                      type="number"
                      min={bounds.min}
                      max={bounds.max}
                      suffix="days"
                      placeholder={row.learnedDays !== null ? String(row.learnedDays) : ""}
                      value={values[row.productId] ?? ""}
                      onChange={(days) => props.onChange(row.productId, days)}
                      autoComplete="off"
                    />
                  </div>
                </InlineStack>
              </BlockStack>
            ))}
          </BlockStack>
        )}
        {total > rows.length ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Showing the ${rows.length} products ordered most, of ${total.toLocaleString("en")}.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export type Pick = { id: string; title: string };

export function ProductPicks(props: { picks: Pick[]; max: number; onChange: (picks: Pick[]) => void; shopify: ShopifyGlobal | null; problems?: string[] }) {
  const { picks, shopify } = props;
  const choose = async () => {
    if (!shopify) return;
    const selected = await shopify.resourcePicker({
      type: "product",
      action: "select",
      multiple: props.max,
      filter: { variants: false },
      selectionIds: picks.map((pick) => ({ id: `gid://shopify/Product/${pick.id}` })),
    });
    // Cancelled: the picks stay as they were.
    if (selected) props.onChange(selected.map((product) => ({ id: product.id.split("/").pop()!, title: product.title })));
  };
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Your picks
          </Text>
          <Text as="p" tone="subdued">
            {`Suggested after what customers bought together with the order, when that gives too few. Up to ${props.max} products; only what is in stock is ever shown.`}
          </Text>
        </BlockStack>
        <ProblemList problems={props.problems} />
        {picks.length === 0 ? (
          <Text as="p" tone="subdued">
            No picks yet.
          </Text>
        ) : (
          <BlockStack gap="200">
            {picks.map((pick) => (
              <InlineStack key={pick.id} gap="200" align="space-between" blockAlign="center" wrap={false}>
                <Text as="span" breakWord>
                  {pick.title}
                </Text>
                <Button
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={`Remove ${pick.title}`}
                  onClick={() => props.onChange(picks.filter((p) => p.id !== pick.id))}
                >
                  Remove
                </Button>
              </InlineStack>
            ))}
          </BlockStack>
        )}
        <InlineStack gap="200" blockAlign="center">
          <Button onClick={choose} disabled={!shopify}>
            {picks.length ? "Change products" : "Choose products"}
          </Button>
          {!shopify ? (
            <Text as="span" variant="bodySm" tone="subdued">
              Choosing products needs Shopify admin: open Aftercare from your store.
            </Text>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
