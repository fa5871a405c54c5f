// Review photos: whatever a phone uploads (JPEG, PNG or WebP, at most 5 MB) is decoded,
// turned upright, resized to fit 1600 px and re-encoded as WebP. Re-encoding keeps no
// metadata: no GPS position, camera serial or original file survives.
import sharp from "sharp";
import { MAX_PHOTO_BYTES } from "./limits";
const LONGEST_SIDE = 1600;
/** A decompression bomb (a tiny file declaring a huge image) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;

export class PhotoError extends Error {}

export type ProcessedPhoto = { bytes: Uint8Array<ArrayBuffer>; mimeType: "image/webp"; width: number; height: number };

export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length > MAX_PHOTO_BYTES) throw new PhotoError("Each photo must be 5 MB or smaller.");
  let format: string | undefined;
  try {
    format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw new PhotoError("That file isn't a photo we can read. Please use a JPEG, PNG or WebP image.");
  }
  if (!format || !["jpeg", "png", "webp"].includes(format)) throw new PhotoError("Please use a JPEG, PNG or WebP image.");
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // apply the camera's orientation before the metadata is dropped
      .resize({ width: LONGEST_SIDE, height: LONGEST_SIDE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data), mimeType: "image/webp", width: info.width, height: info.height };
  } catch {
    throw new PhotoError("That photo could not be read. Please try another one.");
  }
}
