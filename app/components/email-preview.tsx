// A rendered email as the customer would see it: in a desktop mail client (600 px), on a phone
// (375 px), or as the plain-text part. The frame is drawn at the real width and scaled down to
// fit the column, so the layout is the email's own and nothing overflows the page.
import { Box, ButtonGroup, Button, BlockStack, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";

export type PreviewView = "desktop" | "phone" | "text";
const FRAME_WIDTH = { desktop: 600, phone: 375 } as const;
const INITIAL_HEIGHT = 640;

export function PreviewViewToggle({ view, onChange }: { view: PreviewView; onChange: (view: PreviewView) => void }) {
  const option = (value: PreviewView, label: string) => (
    <Button pressed={view === value} onClick={() => onChange(value)}>
      {label}
    </Button>
  );
  return (
    <ButtonGroup variant="segmented">
      {option("desktop", "Desktop")}
      {option("phone", "Phone")}
      {option("text", "Plain text")}
    </ButtonGroup>
  );
}

export function EmailPreview({ html, text, view, dimmed }: { html: string; text: string; view: PreviewView; dimmed?: boolean }) {
  const outer = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const [available, setAvailable] = useState<number | null>(null);
  const [height, setHeight] = useState(INITIAL_HEIGHT);

  const framed = view !== "text";
  useEffect(() => {
    const element = outer.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setAvailable(entry!.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, [framed]);

  // allow-same-origin (never allow-scripts) lets the admin measure the email's height; the
  // email itself can run nothing and reach nothing. The <html> box is the content's height
  // (scrollHeight would never shrink below the frame's own).
  const measure = () => {
    const root = frame.current?.contentDocument?.documentElement;
    if (root) setHeight(Math.max(200, Math.ceil(root.getBoundingClientRect().height)));
  };
  // A phone-width email is taller than the desktop one: measure again when the width changes.
  useEffect(measure, [view]);

  if (view === "text") {
    return (
      <Box background="bg-surface-secondary" padding="400" borderRadius="200">
        <pre
          data-testid="preview-text"
          style={{
            margin: 0,
            whiteSpace: "pre-wrap",
            overflowWrap: "anywhere",
            fontFamily: "var(--p-font-family-mono)",
            fontSize: 13,
            lineHeight: 1.5,
            opacity: dimmed ? 0.45 : 1,
          }}
        >
          {text}
        </pre>
      </Box>
    );
  }

  const width = FRAME_WIDTH[view];
  const scale = available ? Math.min(1, available / width) : 1;
  return (
    <div ref={outer} style={{ width: "100%", overflow: "hidden", background: "#f4f4f1", borderRadius: "var(--p-border-radius-200)" }}>
      <div style={{ width: width * scale, height: height * scale, margin: "0 auto", opacity: dimmed ? 0.45 : 1, transition: "opacity 120ms" }}>
        <iframe
          ref={frame}
          title="Email preview"
          sandbox="allow-same-origin"
          srcDoc={html}
          onLoad={measure}
          style={{ width, height, border: 0, display: "block", transform: `scale(${scale})`, transformOrigin: "top left" }}
        />
      </div>
    </div>
  );
}

/** How the inbox shows it: who it is from and the subject. */
export function InboxLine({ from, subject }: { from: string; subject: string }) {
  return (
    <BlockStack gap="050">
      <Text as="p" variant="bodySm" tone="subdued">
        From {from}
      </Text>
      <Text as="p" variant="headingSm" breakWord>
        <span data-testid="preview-subject">{subject}</span>
      </Text>
    </BlockStack>
  );
}
