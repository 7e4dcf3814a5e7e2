export {
  type AppConfig,
  type AppInstance,
  type AppSpec,
  allFlags,
  defineApp,
  parseConfig,
  type ShellContext,
  usageHintOf,
  usageOf,
} from "./app.js";
export { type CommonConfig, LISTEN_FLAGS, SERVE_FLAGS } from "./common-flags.js";
export { UsageError, type UsageErrorCode } from "./errors.js";
export {
  type BooleanFlag,
  type CamelCase,
  type ChoiceFlag,
  type CustomFlag,
  camelCase,
  defineFlags,
  type FlagSpec,
  type FlagTable,
  type FlagValue,
  type FlagValues,
  type IntegerFlag,
  type PathFlag,
  parseFlags,
  type StringFlag,
} from "./flags.js";
export { formatUsage, type UsageText } from "./help.js";
export { escapeHtml } from "./html.js";
export { describeListenError, hostPort } from "./listen-error.js";
export { invocationDirectory } from "./paths.js";
export { createRedirectHandler } from "./redirect.js";
export { runApp } from "./run-app.js";
export { HSTS, serverUrl } from "./serve.js";
export {
  handleStopSignals,
  SAME_SIGNAL_MS,
  type StopControl,
  type StopHandlers,
} from "./stop-signals.js";
export { readTlsFiles, type TlsFiles } from "./tls-files.js";
