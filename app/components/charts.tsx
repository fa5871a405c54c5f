// Charts on admin pages, drawn with Polaris Viz in the browser only: it measures the space it
// is given, which a server render cannot, so the server (and the first paint) shows a quiet
// placeholder of the same height and no hydration differs. Drawn without animation: animated
// bars were seen to stay flat on the demo's pages.
import { useSyncExternalStore, type ReactNode } from "react";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { Box, Text } from "@shopify/polaris";

export type Series = { name: string; data: { key: string; value: number | null }[]; color?: string };

const HEIGHT = 260;
const noSubscription = () => () => {};
const inTheBrowser = () => true;
const onTheServer = () => false;

/** Bars by period (stacked when the series are parts of one whole); `empty` is what the merchant reads while there is nothing to draw. */
export function PeriodBarChart(props: ChartProps & { percent?: boolean; stacked?: boolean }) {
  const { percent = false, stacked = false } = props;
  return (
    <ChartFrame {...props}>
      <BarChart
        theme="Light"
        isAnimated={false}
        data={props.series}
        type={stacked ? "stacked" : "default"}
        showLegend={props.series.length > 1}
        yAxisOptions={percent ? { labelFormatter: (value) => `${value ?? 0}%`, integersOnly: true } : { integersOnly: true }}
      />
    </ChartFrame>
  );
}

/** A line by period (a score over time). */
export function PeriodLineChart(props: ChartProps) {
  return (
    <ChartFrame {...props}>
      <LineChart theme="Light" isAnimated={false} data={props.series} showLegend={props.series.length > 1} yAxisOptions={{ integersOnly: true }} />
    </ChartFrame>
  );
}

type ChartProps = { series: Series[]; empty: string; label: string };

function ChartFrame({ series, empty, label, children }: ChartProps & { children: ReactNode }) {
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
      {inBrowser ? <PolarisVizProvider>{children}</PolarisVizProvider> : null}
    </div>
  );
}
