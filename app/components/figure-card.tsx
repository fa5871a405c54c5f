// One figure on an admin page: what it is, how much, and (when there is one) what that means.
import { BlockStack, Card, Text } from "@shopify/polaris";

export function FigureCard({ title, value, note }: { title: string; value: string; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm">
          {title}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {note ? (
          <Text as="p" tone="subdued">
            {note}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
