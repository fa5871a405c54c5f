// Reads a review form (multipart, up to three photos) the same way for the email link's page
// and the storefront widget: the draft, plus the form for the fields only one of them has; or
// the errors to answer with when the body is refused before it is read whole.
import type { DraftErrors, ReviewDraft } from "~/modules/reviews";
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "~/modules/reviews/limits";
import { readCappedForm, type FormCaps, type FormRefusal } from "~/edge/form-body";

/**
 * Three photos at their largest plus the text: a review's longest text (5,000 characters) is at
 * most 15 KB in UTF-8, so 32 KB a field and 64 KB for all fields and the multipart framing.
 * Eight fields cover the widget's (product, rating, title, text, name, email, an empty file input).
 */
export const REVIEW_FORM_CAPS: FormCaps = {
  maxBytes: MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024,
  maxParts: MAX_PHOTOS + 8,
  maxFieldBytes: 32 * 1024,
  maxFiles: MAX_PHOTOS,
  maxFileBytes: MAX_PHOTO_BYTES,
};

export const PHOTO_TOO_LARGE = "Each photo must be 5 MB or smaller.";
const REFUSALS: Record<FormRefusal, DraftErrors> = {
  file: { photos: PHOTO_TOO_LARGE },
  files: { photos: `Add at most ${MAX_PHOTOS} photos.` },
  parts: { photos: `That is more than one review holds: a rating, a few words and up to ${MAX_PHOTOS} photos.` },
  body: { photos: `That is more than one review holds: up to ${MAX_PHOTOS} photos of 5 MB each.` },
  malformed: { body: "Send the review from the form." },
};

export type ReviewForm = { form: FormData; draft: ReviewDraft } | { status: 400 | 413; errors: DraftErrors };

export async function readReviewForm(request: Request): Promise<ReviewForm> {
  const read = await readCappedForm(request, REVIEW_FORM_CAPS);
  if ("refused" in read) return { status: read.status, errors: REFUSALS[read.refused] };
  const { form } = read;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const files = form.getAll("photos").filter((file): file is File => file instanceof File && file.size > 0);
  const draft = {
    rating: Number(text("rating")),
    title: text("title"),
    body: text("body"),
    authorName: text("authorName"),
    photos: await Promise.all(files.map(async (file) => Buffer.from(await file.arrayBuffer()))),
  };
  return { form, draft };
}
