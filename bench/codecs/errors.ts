/** Errors from codecs always name the codec and the file, so a user knows what broke where. */
import { errorText } from '../errors.js';
export class CodecError extends Error {
  constructor(
    readonly codec: string,
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${codec}: ${file}: ${message}`, options);
    this.name = 'CodecError';
  }
}

/** Wrap any failure of `fn` in a CodecError for (codec, file), keeping the cause. */
export async function withCodecContext<T>(codec: string, file: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CodecError) throw err;
    const msg = errorText(err);
    throw new CodecError(codec, file, msg, { cause: err });
  }
}
