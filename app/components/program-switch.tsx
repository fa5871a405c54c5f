// What the Loyalty and Referrals pages share: a program that is off until launched, then live or
// paused. The page's actions post intent=launch|pause to its own route and toast the answer;
// the badge and banner say where the program stands in the page's own words.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useRef, type ReactNode } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";

export type ProgramState = "off" | "live" | "paused";

/** The page's primary and secondary actions: launch (or resume), or pause. */
function useProgramSwitch(status: ProgramState, name: string) {
  const fetcher = useFetcher<{ status: ProgramState }>();
  const shopify = useOptionalAppBridge();
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!fetcher.data || answered.current === fetcher.data) return;
    answered.current = fetcher.data;
    shopify?.toast.show(`${name} ${fetcher.data.status === "live" ? "launched" : "paused"}`);
  }, [fetcher.data, shopify, name]);
  const busy = fetcher.state !== "idle";
  const submit = (intent: "launch" | "pause") => fetcher.submit({ intent }, { method: "post" });
  return {
    primaryAction:
      status === "live" ? undefined : { content: status === "off" ? "Launch program" : "Resume program", loading: busy, onAction: () => submit("launch") },
    secondaryActions: status === "live" ? [{ content: "Pause program", loading: busy, onAction: () => submit("pause") }] : [],
  };
}

function ProgramBadge({ status }: { status: ProgramState }) {
  if (status === "live") return <Badge tone="success">Live</Badge>;
  return status === "paused" ? <Badge tone="warning">Paused</Badge> : <Badge>Not launched</Badge>;
}

/** A program's admin page: its title with the program's state, the switch, what the state means, then `children` (Layout sections). */
export function ProgramPage(props: {
  title: string;
  subtitle: string;
  status: ProgramState;
  says: Record<ProgramState, string>;
  settingsUrl: string;
  children: ReactNode;
}) {
  const { status } = props;
  const { primaryAction, secondaryActions } = useProgramSwitch(status, `${props.title.replace(/s$/, "")} program`);
  return (
    <Page
      title={props.title}
      titleMetadata={<ProgramBadge status={status} />}
      subtitle={props.subtitle}
      backAction={{ url: "/app" }}
      primaryAction={primaryAction}
      secondaryActions={[...secondaryActions, { content: "Settings", url: props.settingsUrl }]}
    >
      <Layout>
        <Layout.Section>
          <Banner tone={status === "live" ? "success" : status === "paused" ? "warning" : "info"}>{props.says[status]}</Banner>
        </Layout.Section>
        {props.children}
      </Layout>
    </Page>
  );
}

/** How a program works, a sentence a line. */
export function RulesCard({ heading, lines }: { heading: string; lines: string[] }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {heading}
        </Text>
        {lines.map((line) => (
          <Text as="p" key={line}>
            {line}
          </Text>
        ))}
      </BlockStack>
    </Card>
  );
}
