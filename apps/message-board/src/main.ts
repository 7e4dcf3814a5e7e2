#!/usr/bin/env node
import { runApp } from "@wireweb/app-shell";
import { MESSAGE_BOARD } from "./cli.js";

await runApp(MESSAGE_BOARD);
