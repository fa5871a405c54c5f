// Flows: each follow-up on or off, its timing, and how many it has sent and has waiting;
// the send window and the marketing frequency cap for the whole shop.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineGrid, InlineStack, Layout, Link, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { FlowCounts, FlowTimingField } from "~/components/flow-controls";
import { flowsFormErrors, followupSettings, saveFlowsForm, type FlowsFormInput } from "~/modules/followups";
import { FLOW_IDS, FLOWS, type FlowId } from "~/modules/followups/flows";
import { flowCounts } from "~/modules/messaging/activity";
import db from "~/db.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, counts] = await Promise.all([followupSettings(db, session.shop), flowCounts(session.shop)]);
  return { settings, counts };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  let input: FlowsFormInput;
  try {
    input = (await request.json()) as FlowsFormInput;
  } catch {
    return Response.json({ error: "The settings could not be read." }, { status: 400 });
  }
  const errors = flowsFormErrors(input);
  if (errors.length > 0) return Response.json({ error: errors.join(" ") }, { status: 400 });
  await saveFlowsForm(session.shop, input);
  return Response.json({ saved: true });
};

export default function Flows() {
  const { settings, counts } = useLoaderData<typeof loader>();
  const result = useActionData<{ saved?: boolean; error?: string }>();
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const [flows, setFlows] = useState(
    () =>
      Object.fromEntries(FLOW_IDS.map((id) => [id, { enabled: settings.flows[id].enabled, timing: String(settings.flows[id].timing) }])) as Record<
        FlowId,
        { enabled: boolean; timing: string }
      >,
  );
  const [window, setWindow] = useState({ from: String(settings.sendWindow.from), to: String(settings.sendWindow.to) });
  const [cap, setCap] = useState(String(settings.frequencyCapDays));
  const change = (id: FlowId, patch: Partial<{ enabled: boolean; timing: string }>) => setFlows((all) => ({ ...all, [id]: { ...all[id], ...patch } }));
  const save = () =>
    submit(
      {
        flows: Object.fromEntries(FLOW_IDS.map((id) => [id, { enabled: flows[id].enabled, timing: Number(flows[id].timing) }])),
        sendWindow: { from: Number(window.from), to: Number(window.to) },
        frequencyCapDays: Number(cap),
      },
      { method: "post", encType: "application/json" },
    );
  return (
    <Page
      title="Flows"
      subtitle="What Aftercare sends after an order, and when"
      backAction={{ url: "/app" }}
      primaryAction={{ content: "Save", onAction: save, loading: saving }}
    >
      <Layout>
        {result?.error ? (
          <Layout.Section>
            <Banner tone="critical">{result.error}</Banner>
          </Layout.Section>
        ) : result?.saved ? (
          <Layout.Section>
            <Banner tone="success">Saved. New timings apply to orders from now on.</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            {FLOW_IDS.map((id) => {
              const flow = FLOWS[id];
              const count = counts[id] ?? { sent: 0, scheduled: 0 };
              return (
                <Card key={id}>
                  <InlineGrid columns={{ xs: 1, md: "2fr 1fr" }} gap="400">
                    <BlockStack gap="200">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h2" variant="headingMd">
                          <Link url={`/app/flows/${id}`} monochrome removeUnderline>
                            {flow.name}
                          </Link>
                        </Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {flow.marketing ? "Marketing: subscribers only" : "Sent to every customer who has not unsubscribed"}
                        </Text>
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        {flow.purpose}
                      </Text>
                      <Checkbox label="On" checked={flows[id].enabled} onChange={(enabled) => change(id, { enabled })} />
                      <InlineStack gap="300" blockAlign="center">
                        <FlowCounts counts={count} />
                        <Button url={`/app/flows/${id}`} size="slim" accessibilityLabel={`Edit the ${flow.name} email`}>
                          Edit email
                        </Button>
                      </InlineStack>
                    </BlockStack>
                    <FlowTimingField
                      timing={flow.timing}
                      value={flows[id].timing}
                      onChange={(timing) => change(id, { timing })}
                      disabled={!flows[id].enabled}
                    />
                  </InlineGrid>
                </Card>
              );
            })}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Sending
              </Text>
              <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
                <TextField
                  label="Send from (hour, shop time)"
                  type="number"
                  min={0}
                  max={23}
                  value={window.from}
                  onChange={(from) => setWindow((w) => ({ ...w, from }))}
                  autoComplete="off"
                />
                <TextField
                  label="Send until (hour, shop time)"
                  type="number"
                  min={1}
                  max={24}
                  value={window.to}
                  onChange={(to) => setWindow((w) => ({ ...w, to }))}
                  autoComplete="off"
                />
                <TextField
                  label="At most one marketing email per"
                  type="number"
                  min={0}
                  max={30}
                  suffix="days"
                  value={cap}
                  onChange={setCap}
                  autoComplete="off"
                  helpText="A message that would break the cap waits for the next allowed slot."
                />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
