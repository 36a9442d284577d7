import { InvalidArgumentError } from "commander";
import { parseDate } from "../text/dates.js";
import { parseRegion } from "../text/regions.js";
import type { Region } from "../types.js";

export function parseK(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new InvalidArgumentError("expected a whole number from 1 to 50");
  return n;
}

export function parseRegionOption(value: string): Region {
  const r = parseRegion(value);
  if (!r) {
    throw new InvalidArgumentError(
      "expected one of Hovedstaden, Sjælland (sjaelland), Syddanmark, Midtjylland, Nordjylland, all",
    );
  }
  return r;
}

export function parseDateOption(value: string): string {
  const d = parseDate(value, { bareYears: true });
  if (!d) throw new InvalidArgumentError('expected a date like 2020-11-11, 11-11-2020, "marts 2022" or 2020');
  return d.iso;
}

export function parseMode(value: string): "extractive" | "llm" {
  if (value !== "extractive" && value !== "llm") throw new InvalidArgumentError("expected extractive or llm");
  return value;
}
