import { readFile } from "node:fs/promises";

/** Shorter passwords get a warning at start: anyone who can reach /login may guess. */
export const SHORT_PASSWORD = 12;

/**
 * The administrator's password: the contents of `--admin-password-file` (one line; a final
 * newline, as `echo secret > file` writes, is not part of it), else `ADMIN_PASSWORD`, else none.
 * A file keeps the password out of the process list and the shell's history; the variable suits
 * containers and service managers.
 *
 * @throws Error with a message for the user: unreadable or empty file, empty variable.
 */
export async function readAdminPassword(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read the admin password file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const password = text.replace(/\r?\n$/, "");
    if (password === "") throw new Error(`the admin password file ${file} is empty`);
    if (/[\r\n]/.test(password)) {
      throw new Error(`the admin password file ${file} has more than one line`);
    }
    return password;
  }
  const password = env.ADMIN_PASSWORD;
  if (password === undefined) return undefined;
  // Set but empty is a mistake worth stopping for: it would otherwise mean "no administrator".
  if (password === "") throw new Error("ADMIN_PASSWORD is set but empty");
  return password;
}
