#!/usr/bin/env node
import { runApp } from "@wireweb/app-shell";
import { FILE_SERVER } from "./cli.js";

await runApp(FILE_SERVER);
