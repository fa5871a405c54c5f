// What a review may hold. No server imports: the review form in the browser reads these too.
export const LIMITS = { title: 120, body: 5000, name: 60 } as const;
export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const ACCEPTED_PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const REPLY_LIMIT = 2000;
