#!/usr/bin/env node
import { runApp } from "@wireweb/app-shell";
import { TINY_SERVER } from "./cli.js";

await runApp(TINY_SERVER);
