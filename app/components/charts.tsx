// Charts on admin pages, drawn with Polaris Viz in the browser only: it measures the space it
// is given, which a server render cannot, so the server (and the first paint) shows a quiet
// placeholder of the same height and no hydration differs.
import { useSyncExternalStore } from "react";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { Box, Text } from "@shopify/polaris";

export type Series = { name: string; data: { key: string; value: number | null }[]; color?: string };

const HEIGHT = 260;
const noSubscription = () => () => {};
const inTheBrowser = () => true;
const onTheServer = () => false;

/** Bars by period; `empty` is what the merchant reads while there is nothing to draw. */
export function PeriodBarChart({ series, empty, label, percent = false }: { series: Series[]; empty: string; label: string; percent?: boolean }) {
  const inBrowser = useSyncExternalStore(noSubscription, inTheBrowser, onTheServer);
  const nothing = series.every((s) => s.data.every((d) => d.value === null));
  if (nothing) {
    return (
      <Box minHeight={`${HEIGHT}px`} padding="400" background="bg-surface-secondary" borderRadius="200">
        <Text as="p" tone="subdued">
          {empty}
        </Text>
      </Box>
    );
  }
  return (
    <div role="img" aria-label={label} style={{ height: HEIGHT }}>
      {inBrowser ? (
        <PolarisVizProvider>
          <BarChart
            theme="Light"
            data={series}
            showLegend={series.length > 1}
            yAxisOptions={percent ? { labelFormatter: (value) => `${value ?? 0}%`, integersOnly: true } : { integersOnly: true }}
          />
        </PolarisVizProvider>
      ) : null}
    </div>
  );
}
