// What the settings pages share: a card per topic, and the form's draft and save.
import { useFetcher, type ShouldRevalidateFunction } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, type ReactNode } from "react";
import { useOptionalAppBridge } from "~/components/app-bridge";
import { useDraft } from "~/components/use-draft";

/** One card of settings under its heading (cards rather than annotated sections: they keep their padding on a phone). */
export function SettingsSection({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Text as="p" tone="subdued">
              {description}
            </Text>
          </BlockStack>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}

type SaveResult<Form> = { saved: true; form: Form } | { saved: false; errors: Record<string, string>; message: string };

/**
 * A settings form's draft and its save: posted as JSON to the page's own action, which answers
 * SaveResult; a toast inside Shopify admin (a banner outside it) once saved, the errors by field
 * when refused.
 */
export function useSettingsForm<Form extends object>(saved: Form, savedMessage: string) {
  const shopify = useOptionalAppBridge();
  const { draft, change, discard, dirty } = useDraft(saved);
  const fetcher = useFetcher<SaveResult<Form>>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const answered = useRef<unknown>(null);
  useEffect(() => {
    if (!result?.saved || answered.current === result) return;
    answered.current = result;
    shopify?.toast.show(savedMessage);
  }, [result, shopify, savedMessage]);
  const save = () => fetcher.submit(draft as Record<string, never>, { method: "post", encType: "application/json" });
  const saving = fetcher.state !== "idle";
  const banner =
    result && !result.saved ? (
      <Banner tone="critical" title={result.message} />
    ) : result?.saved && !shopify && !dirty ? (
      <Banner tone="success" title={savedMessage} />
    ) : null;
  return {
    draft,
    change,
    errors: result && !result.saved ? result.errors : ({} as Record<string, string>),
    banner,
    primaryAction: { content: "Save", onAction: save, loading: saving, disabled: !dirty && !saving },
    secondaryActions: dirty ? [{ content: "Discard changes", onAction: discard }] : [],
  };
}

/** Only a save changes what a settings page's loader reads; a refused form keeps the merchant's draft on screen. */
export const revalidateOnSave: ShouldRevalidateFunction = ({ formMethod, actionResult, defaultShouldRevalidate }) => {
  if (!formMethod) return defaultShouldRevalidate;
  return (actionResult as { saved?: boolean } | undefined)?.saved === true;
};

type FieldOptions = { suffix?: string; prefix?: string; helpText?: string; decimal?: boolean };

/** A text field of the draft, by its name: typed as text, marked with the server's error for that name. */
export function fieldMaker<Form extends object>(draft: Form, change: (patch: Partial<Form>) => void, errors: Record<string, string>) {
  return (name: keyof Form & string, label: string, options: FieldOptions = {}) => (
    <TextField
      label={label}
      value={String(draft[name] ?? "")}
      onChange={(value) => change({ [name]: value } as Partial<Form>)}
      inputMode={options.decimal ? "decimal" : "numeric"}
      prefix={options.prefix}
      suffix={options.suffix}
      helpText={options.helpText}
      error={errors[name]}
      autoComplete="off"
    />
  );
}
