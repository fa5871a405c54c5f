// One flow's editor: on/off and timing, the subject and body in Liquid with the variables beside
// them, the look of every email, a live preview from the shop's latest order, and a test sent
// to the merchant. The re-order reminder adds each product's interval; "goes well with" adds
// the merchant's own product picks. (`flows_`: its own page, not nested in the Flows page.)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, Divider, InlineGrid, InlineStack, Page, Spinner, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";
import { useDraft, useMediaQuery, useOnChange } from "~/components/use-draft";
import { FlowCounts, FlowTimingField } from "~/components/flow-controls";
import { EmailPreview, InboxLine, PreviewViewToggle, type PreviewView } from "~/components/email-preview";
import { ProductPicks, ReorderIntervals, type Pick } from "~/components/flow-extras";
import { now } from "~/modules/clock";
import { isFlowId } from "~/modules/followups";
import { flowEditorData, flowEditorErrors, saveFlowEditor, type FlowEditorErrors, type FlowEditorInput } from "~/modules/followups/editor";
import { previewFollowup, sendTestFollowup, type Preview, type TestSendResult } from "~/modules/followups/preview";
import type { BrandInput, BrandProblems } from "~/modules/followups/settings";
import type { TemplateProblem } from "~/modules/followups/templates";
import { testSendLog } from "~/modules/followups/test-sends";
import { authenticate } from "~/shopify.server";

function flowParam(params: LoaderFunctionArgs["params"]) {
  const flow = params.flow ?? "";
  if (!isFlowId(flow)) throw new Response("Not found", { status: 404 });
  return flow;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return flowEditorData(session.shop, flowParam(params), now());
};

export type EditorActionResult =
  | { intent: "preview"; preview: Preview }
  | { intent: "save"; saved: true }
  | { intent: "save"; saved: false; message: string; errors: FlowEditorErrors }
  | { intent: "test"; test: TestSendResult; tests: Awaited<ReturnType<typeof testSendLog>> }
  | { intent: null; error: string };

const reply = (result: EditorActionResult, status = 200) => Response.json(result, { status });
const TEST_STATUS = { sent: 200, template: 400, address: 400, limit: 429, not_configured: 503, failed: 502 } as const;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const flow = flowParam(params);
  const input = (await request.json().catch(() => null)) as (FlowEditorInput & { intent?: string; to?: unknown }) | null;
  if (!input || typeof input !== "object") return reply({ intent: null, error: "The request could not be read." }, 400);
  const draft = { subject: String(input.subject ?? ""), body: String(input.body ?? "") };
  const brand = input.brand;
  switch (input.intent) {
    case "preview": {
      const preview = await previewFollowup(session.shop, flow, { draft, brand, now: now() });
      // A draft with an error is a good answer to "show me this draft": the error is the preview.
      return reply({ intent: "preview", preview });
    }
    case "test": {
      const test = await sendTestFollowup(session.shop, flow, { draft, brand, now: now(), to: input.to });
      return reply({ intent: "test", test, tests: await testSendLog(session.shop, now()) }, TEST_STATUS[test.sent ? "sent" : test.reason]);
    }
    case "save": {
      const errors = await flowEditorErrors(session.shop, flow, input, now());
      if (Object.keys(errors).length > 0) return reply({ intent: "save", saved: false, message: "Nothing was saved: fix what is marked below.", errors }, 400);
      await saveFlowEditor(session.shop, flow, input);
      return reply({ intent: "save", saved: true });
    }
    default:
      return reply({ intent: null, error: "Unknown request." }, 400);
  }
};

// Previews and tests change nothing stored: only a save reloads the page's data.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, actionResult, defaultShouldRevalidate }) => {
  if (!formMethod) return defaultShouldRevalidate;
  const result = actionResult as EditorActionResult | undefined;
  return result?.intent === "save" && result.saved;
};

export const meta: MetaFunction = () => [{ title: "Flow editor · Aftercare" }];

type EditorData = ReturnType<typeof useLoaderData<typeof loader>>;

type Draft = {
  enabled: boolean;
  timing: string;
  subject: string;
  body: string;
  brand: BrandInput;
  intervals: Record<string, string>;
  picks: Pick[];
};

function draftOf(data: EditorData): Draft {
  return {
    enabled: data.enabled,
    timing: String(data.timing),
    subject: data.template.subject,
    body: data.template.body,
    brand: data.brand,
    intervals: Object.fromEntries((data.intervals?.rows ?? []).map((row) => [row.productId, row.merchantDays === null ? "" : String(row.merchantDays)])),
    picks: data.picks?.items ?? [],
  };
}

const previewKeyOf = (draft: Draft) => JSON.stringify({ subject: draft.subject, body: draft.body, brand: draft.brand });
const PREVIEW_DELAY_MS = 400;

function problemText(problem: TemplateProblem): string {
  return problem.line ? `Line ${problem.line}: ${problem.message}` : problem.message;
}

const FIELD_ID = { subject: "flow-template-subject", body: "flow-template-body" } as const;

/** Puts the cursor on the line with the error, selected, so the merchant need not count lines. */
function showProblem(problem: TemplateProblem) {
  const field = document.getElementById(FIELD_ID[problem.field]) as HTMLTextAreaElement | HTMLInputElement | null;
  if (!field) return;
  const lines = field.value.split("\n");
  const index = Math.min(Math.max((problem.line ?? 1) - 1, 0), lines.length - 1);
  const start = lines.slice(0, index).reduce((sum, line) => sum + line.length + 1, 0);
  field.focus();
  field.setSelectionRange(start, start + lines[index]!.length);
}

export default function FlowEditor() {
  const data = useLoaderData<typeof loader>();
  const shopify = useOptionalAppBridge();
  const saved = useMemo(() => draftOf(data), [data]);
  // A save (or another flow opened) brings new data: the form starts from it.
  const { draft, change, discard, dirty } = useDraft(saved);

  const saveFetcher = useFetcher<EditorActionResult>();
  const previewFetcher = useFetcher<EditorActionResult>();
  const testFetcher = useFetcher<EditorActionResult>();

  // The live preview: the last one that rendered stays on screen while a draft has an error.
  const [preview, setPreview] = useState(data.preview.ok ? data.preview : null);
  const [problem, setProblem] = useState<TemplateProblem | null>(data.preview.ok ? null : data.preview.problem);
  const showPreview = (shown: Preview) => {
    if (shown.ok) setPreview(shown);
    setProblem(shown.ok ? null : shown.problem);
  };
  const requested = useRef(previewKeyOf(saved));
  useOnChange(data, () => showPreview(data.preview));
  useEffect(() => {
    requested.current = previewKeyOf(saved);
  }, [saved]);
  const previewKey = previewKeyOf(draft);
  useEffect(() => {
    if (previewKey === requested.current) return;
    const timer = setTimeout(() => {
      requested.current = previewKey;
      previewFetcher.submit({ intent: "preview", ...JSON.parse(previewKey) }, { method: "post", encType: "application/json" });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- submit is stable; only the draft matters
  }, [previewKey]);
  useOnChange(previewFetcher.data, (result) => {
    if (result?.intent === "preview") showPreview(result.preview);
  });

  const saveResult = saveFetcher.state === "idle" && saveFetcher.data?.intent === "save" ? saveFetcher.data : null;
  const saveErrors = saveResult && !saveResult.saved ? saveResult.errors : {};
  // Once per answer, when the reload after a save has finished.
  useOnChange(saveResult, (result) => {
    if (result && !result.saved && result.errors.template) setProblem(result.errors.template);
  });
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!saveResult || answered.current === saveResult) return;
    answered.current = saveResult;
    if (saveResult.saved) shopify?.toast.show("Saved");
  }, [saveResult, shopify]);

  const save = () => {
    const changedIntervals = Object.fromEntries(Object.entries(draft.intervals).filter(([id, days]) => days !== saved.intervals[id]));
    const input: Omit<FlowEditorInput, "timing"> & { intent: "save"; timing: number | null } = {
      intent: "save",
      enabled: draft.enabled,
      timing: draft.timing.trim() === "" ? null : Number(draft.timing),
      subject: draft.subject,
      body: draft.body,
      brand: draft.brand,
      ...(data.intervals ? { intervals: changedIntervals } : {}),
      ...(data.picks ? { picks: draft.picks } : {}),
    };
    saveFetcher.submit(input, { method: "post", encType: "application/json" });
  };

  const sendTest = () =>
    testFetcher.submit({ intent: "test", subject: draft.subject, body: draft.body, brand: draft.brand }, { method: "post", encType: "application/json" });
  const testAnswer = testFetcher.state === "idle" && testFetcher.data?.intent === "test" ? testFetcher.data : null;

  const { flow } = data;
  const extras = data.intervals ? (
    <ReorderIntervals
      rows={data.intervals.rows}
      total={data.intervals.total}
      bounds={data.intervals.bounds}
      minRebuyers={data.intervals.minRebuyers}
      values={draft.intervals}
      onChange={(productId, days) => change({ intervals: { ...draft.intervals, [productId]: days } })}
      problems={saveErrors.intervals}
    />
  ) : data.picks ? (
    <ProductPicks picks={draft.picks} max={data.picks.max} onChange={(picks) => change({ picks })} shopify={shopify} problems={saveErrors.picks} />
  ) : null;
  // The cards in the left column on a wide screen; the preview spans them all.
  const leftCards = extras ? 4 : 3;

  return (
    <Page
      fullWidth
      title={flow.name}
      subtitle={flow.purpose}
      backAction={{ url: "/app/flows" }}
      titleMetadata={draft.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
      primaryAction={{ content: "Save", onAction: save, loading: saveFetcher.state !== "idle", disabled: !dirty && saveFetcher.state === "idle" }}
      secondaryActions={dirty ? [{ content: "Discard changes", onAction: discard }] : []}
    >
      <style dangerouslySetInnerHTML={{ __html: EDITOR_GRID }} />
      <BlockStack gap="400">
        {saveResult && !(saveResult.saved && dirty) ? (
          saveResult.saved ? (
            <Banner tone="success">Saved. Every follow-up of this flow written from now on uses it.</Banner>
          ) : (
            <Banner tone="critical" title={saveResult.message}>
              {saveErrors.template ? <p>{`The ${saveErrors.template.field}: ${problemText(saveErrors.template)}`}</p> : null}
              {saveErrors.timing ? <p>{saveErrors.timing}</p> : null}
            </Banner>
          )
        ) : null}
        <div className="flow-editor" style={{ ["--left-cards" as string]: leftCards }}>
          <div>
            <TimingCard flow={flow} draft={draft} counts={data.counts} onChange={change} error={saveErrors.timing} />
          </div>
          <div>
            <TemplateCard draft={draft} defaults={data.defaults} variables={data.variables} problem={problem} onChange={change} />
          </div>
          <div className="flow-editor-preview">
            <div style={{ position: "sticky", top: "var(--p-space-400)" }}>
              <BlockStack gap="400">
                <PreviewCard flow={flow.id} preview={preview} problem={problem} updating={previewFetcher.state !== "idle"} />
                <TestCard
                  to={data.contactEmail}
                  onSend={sendTest}
                  sending={testFetcher.state !== "idle"}
                  result={testAnswer?.test ?? null}
                  tests={testAnswer?.tests ?? data.tests}
                  mailConfigured={data.mailConfigured}
                />
              </BlockStack>
            </div>
          </div>
          {extras ? <div>{extras}</div> : null}
          <div>
            <BrandCard brand={draft.brand} onChange={(brand) => change({ brand })} problems={saveErrors.brand} />
          </div>
        </div>
      </BlockStack>
    </Page>
  );
}

// One column on a phone, in reading order (the preview right after the template); from
// Polaris' md breakpoint two, the preview beside every other card. The last row (1fr) takes
// whatever height the preview has beyond the left column, so the left cards stay together.
const EDITOR_GRID = `
.flow-editor { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--p-space-400); padding-bottom: var(--p-space-800); }
@media (min-width: 48em) {
  .flow-editor { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); grid-template-rows: repeat(var(--left-cards), auto) 1fr; row-gap: 0; align-items: start; }
  .flow-editor > * { grid-column: 1; margin-bottom: var(--p-space-400); }
  .flow-editor > .flow-editor-preview { grid-column: 2; grid-row: 1 / -1; align-self: stretch; }
}`;

type FlowInfo = EditorData["flow"];

function TimingCard(props: {
  flow: FlowInfo;
  draft: Draft;
  counts: { sent: number; scheduled: number };
  onChange: (patch: Partial<Draft>) => void;
  error?: string;
}) {
  const { flow, draft, counts } = props;
  return (
    <Card>
      <InlineGrid columns={{ xs: 1, sm: "1fr 1fr" }} gap="400">
        <BlockStack gap="200">
          <Checkbox
            label="On"
            checked={draft.enabled}
            onChange={(enabled) => props.onChange({ enabled })}
            helpText={flow.marketing ? "Marketing: only to subscribers." : "To every customer who has not unsubscribed."}
          />
          <FlowCounts counts={counts} />
        </BlockStack>
        <FlowTimingField
          timing={flow.timing}
          value={draft.timing}
          onChange={(timing) => props.onChange({ timing })}
          error={props.error}
          disabled={!draft.enabled}
        />
      </InlineGrid>
    </Card>
  );
}

function TemplateCard(props: {
  draft: Draft;
  defaults: { subject: string; body: string };
  variables: { name: string; meaning: string }[];
  problem: TemplateProblem | null;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const { draft, defaults, problem } = props;
  const isDefault = draft.subject === defaults.subject && draft.body === defaults.body;
  const fieldProblem = (field: "subject" | "body") => (problem?.field === field ? problemText(problem) : undefined);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Email
          </Text>
          <Button variant="plain" disabled={isDefault} onClick={() => props.onChange({ subject: defaults.subject, body: defaults.body })}>
            Reset to default
          </Button>
        </InlineStack>
        {/* One line: a pasted line break becomes a space, as the subject header would have it. */}
        <TextField
          id={FIELD_ID.subject}
          label="Subject"
          value={draft.subject}
          onChange={(subject) => props.onChange({ subject: subject.replace(/[\r\n]+/g, " ") })}
          error={fieldProblem("subject")}
          autoComplete="off"
        />
        <TextField
          id={FIELD_ID.body}
          label="Body"
          value={draft.body}
          onChange={(body) => props.onChange({ body })}
          multiline={14}
          monospaced
          error={fieldProblem("body")}
          autoComplete="off"
          spellCheck={false}
          helpText="HTML and Liquid. Every {{ value }} is escaped, so what a customer typed can never change your email."
        />
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            What you can use
          </Text>
          <dl style={{ margin: 0, display: "grid", gap: "var(--p-space-200)" }}>
            {props.variables.map((variable) => (
              <div key={variable.name}>
                <dt>
                  <code style={{ fontFamily: "var(--p-font-family-mono)", fontSize: 13, overflowWrap: "anywhere" }}>{variable.name}</code>
                </dt>
                <dd style={{ margin: 0 }}>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {variable.meaning}
                  </Text>
                </dd>
              </div>
            ))}
          </dl>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

type ShownPreview = Extract<Preview, { ok: true }>;

function PreviewCard({ flow, preview, problem, updating }: { flow: string; preview: ShownPreview | null; problem: TemplateProblem | null; updating: boolean }) {
  const [chosenView, setView] = useState<PreviewView | null>(null);
  // On a phone, the phone-width email reads best (hydrated first as desktop, like the server rendered it).
  const onPhone = useMediaQuery("(max-width: 47.99em)");
  const view = chosenView ?? (onPhone ? "phone" : "desktop");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Preview
            </Text>
            {updating ? <Spinner size="small" accessibilityLabel="Updating the preview" /> : null}
          </InlineStack>
          <PreviewViewToggle view={view} onChange={setView} />
        </InlineStack>
        {preview ? (
          <InlineStack gap="200" blockAlign="center">
            {preview.source.kind === "sample" ? <Badge tone="attention">Sample</Badge> : null}
            <Text as="p" variant="bodySm" tone="subdued">
              {preview.source.label}
            </Text>
          </InlineStack>
        ) : null}
        {problem ? (
          <Banner
            tone="critical"
            title={`The ${problem.field} has an error`}
            action={{ content: problem.line ? `Go to line ${problem.line}` : `Go to the ${problem.field}`, onAction: () => showProblem(problem) }}
          >
            <p>{problemText(problem)}</p>
            {preview ? <p>Below: the last version that worked.</p> : null}
          </Banner>
        ) : null}
        {preview ? (
          <>
            <InboxLine from={preview.fromName} subject={preview.email.subject} />
            <EmailPreview html={preview.email.html} text={preview.email.text} view={view} dimmed={Boolean(problem)} />
            {flow === "goes_with" || flow === "after_return" ? (
              <Text as="p" variant="bodySm" tone="subdued">
                The products here come from your recent orders. Each email picks its own when it is sent: in stock, with pictures, never what the customer owns.
              </Text>
            ) : null}
            <Text as="p" variant="bodySm" tone="subdued">
              Links in the preview and in tests go nowhere, so they can never act for your customer.
            </Text>
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}

type TestAnswer = Extract<EditorActionResult, { intent: "test" }>;

/** "Send a test to me": only to the store's contact email, a few an hour, each listed here. */
function TestCard(props: {
  to: string;
  onSend: () => void;
  sending: boolean;
  result: TestAnswer["test"] | null;
  tests: TestAnswer["tests"];
  mailConfigured: boolean;
}) {
  const { result, tests } = props;
  const blocked = !props.mailConfigured
    ? "No mail server is set up here (SMTP_URL), so follow-ups wait in the outbox and a test can't be sent yet."
    : !props.to
      ? "Your store has no contact email yet: add one in Shopify (Settings › Store details) to send tests to it."
      : null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Send a test to me
          </Text>
          <Badge tone={tests.left > 0 ? undefined : "attention"}>{`${tests.left} of ${tests.perHour} left this hour`}</Badge>
        </InlineStack>
        {blocked ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {blocked}
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 1, sm: "1fr auto" }} gap="200" alignItems="center">
            <Text as="p" variant="bodySm" tone="subdued">
              {`Sends this preview, unsaved changes included, to your store's contact email, ${props.to}, with “[Test]” before the subject.`}
            </Text>
            <Button onClick={props.onSend} loading={props.sending} disabled={tests.left === 0}>
              Send test
            </Button>
          </InlineGrid>
        )}
        {result ? (
          <Banner tone={result.sent ? "success" : result.reason === "not_configured" || result.reason === "limit" ? "warning" : "critical"}>
            {result.sent ? `Test sent to ${result.to}, with “[Test]” before the subject.` : result.message}
          </Banner>
        ) : null}
        {tests.recent.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Recent tests
            </Text>
            {tests.recent.map((test) => (
              <Text key={test.id} as="p" variant="bodySm" tone={test.outcome === "sent" ? "subdued" : "critical"}>
                {test.outcome === "sent"
                  ? `${test.flow}: test sent to ${test.to} at ${test.when}`
                  : `${test.flow}: test to ${test.to} at ${test.when} failed (${test.detail ?? "no reason given"})`}
              </Text>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function BrandCard({ brand, onChange, problems }: { brand: BrandInput; onChange: (brand: BrandInput) => void; problems?: BrandProblems }) {
  const swatch = /^#[0-9a-fA-F]{6}$/.test(brand.color) ? brand.color : "#ffffff";
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Look of every email
          </Text>
          <Text as="p" tone="subdued">
            Shared by all follow-ups: the header, buttons and links.
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: "1fr 2fr" }} gap="300">
          <TextField
            label="Brand colour"
            value={brand.color}
            onChange={(color) => onChange({ ...brand, color: color.trim() })}
            error={problems?.color}
            autoComplete="off"
            connectedRight={
              <input
                type="color"
                aria-label="Pick the brand colour"
                value={swatch}
                onChange={(event) => onChange({ ...brand, color: event.target.value })}
                style={{
                  width: 44,
                  height: 36,
                  padding: 3,
                  border: "1px solid var(--p-color-border)",
                  borderRadius: "var(--p-border-radius-200)",
                  background: "var(--p-color-bg-surface)",
                  cursor: "pointer",
                }}
              />
            }
          />
          <TextField
            label="Logo (https image address)"
            value={brand.logoUrl}
            onChange={(logoUrl) => onChange({ ...brand, logoUrl })}
            error={problems?.logoUrl}
            autoComplete="off"
            placeholder="https://cdn.shopify.com/…/logo.png"
            helpText="Up to 48 px tall. Blank: your store's name in your colour."
          />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
