import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";

/** A certificate chain and its key, read from PEM files. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads `--tls-cert` and `--tls-key` and checks that node:tls accepts them together, so that a
 * wrong file is a clear message at start (or on SIGHUP), not a failed handshake later.
 *
 * @throws Error whose message names the file and what is wrong with it.
 */
export function readTlsFiles(certFile: string, keyFile: string): TlsFiles {
  const cert = readPem("--tls-cert", certFile);
  const key = readPem("--tls-key", keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const reason = /mismatch/i.test(text)
      ? "the key does not belong to the certificate"
      : /PEM|no start line|bad base64|wrong tag|asn1/i.test(text)
        ? `one of them is not a PEM certificate or key (${text})`
        : text;
    throw new Error(`cannot use ${certFile} with ${keyFile}: ${reason}`);
  }
  return { cert, key };
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a folder"
            : String(error);
    throw new Error(`cannot read ${flag} ${file}: ${reason}`);
  }
}
