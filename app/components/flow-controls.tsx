// What the Flows page and a flow's editor both show of a flow: its timing field (label, unit
// and bounds from the flow's definition) and how many it has sent and has waiting.
import { Text, TextField } from "@shopify/polaris";
import type { FlowDefinition } from "~/modules/followups/flows";

export function FlowTimingField(props: {
  timing: FlowDefinition["timing"];
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  error?: string;
}) {
  const { timing } = props;
  return (
    <TextField
      label={timing.label}
      type="number"
      min={timing.min}
      max={timing.max}
      suffix={timing.unit}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      autoComplete="off"
      disabled={props.disabled}
    />
  );
}

export function FlowCounts({ counts }: { counts: { sent: number; scheduled: number } }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {`${counts.sent.toLocaleString("en")} sent · ${counts.scheduled.toLocaleString("en")} waiting`}
    </Text>
  );
}
