// Working-day deadlines in the shop's own time zone: weekends, public holidays, a shop whose
// Monday starts while New York's Sunday evening runs, daylight-saving changes, and calendars
// that never work.
import { describe, expect, it } from "vitest";
import { afterDays, afterWorkingDays, daysBefore, riskFrom, type WorkCalendar } from "./calendar";

const NEW_YORK: WorkCalendar = { zone: "America/New_York", workingDays: [1, 2, 3, 4, 5], holidays: [] };
const iso = (at: Date) => at.toISOString();

describe("afterWorkingDays", () => {
  it("counts the working days after the day of payment; the deadline is the end of the last one", () => {
    // Monday 10:00 in New York, 2 days: by the end of Wednesday (midnight EST is 05:00 UTC).
    expect(iso(afterWorkingDays(new Date("2026-11-02T15:00:00Z"), 2, NEW_YORK))).toBe("2026-11-05T05:00:00.000Z");
  });

  it("skips the weekend: paid on Friday afternoon or on Saturday, dispatched by the end of Tuesday", () => {
    expect(iso(afterWorkingDays(new Date("2026-11-06T21:00:00Z"), 2, NEW_YORK))).toBe("2026-11-11T05:00:00.000Z");
    expect(iso(afterWorkingDays(new Date("2026-11-07T15:00:00Z"), 2, NEW_YORK))).toBe("2026-11-11T05:00:00.000Z");
  });

  it("skips the public holidays the merchant entered", () => {
    const christmas = { ...NEW_YORK, holidays: ["2026-12-24", "2026-12-25"] };
    // Paid Wednesday 23 December: Thursday and Friday are holidays, so Monday 28 and Tuesday 29.
    expect(iso(afterWorkingDays(new Date("2026-12-23T15:00:00Z"), 2, christmas))).toBe("2026-12-30T05:00:00.000Z");
    expect(iso(afterWorkingDays(new Date("2026-12-23T15:00:00Z"), 2, NEW_YORK))).toBe("2026-12-26T05:00:00.000Z");
  });

  it("reads the day in the shop's time zone: one instant is Sunday in New York and Monday in Berlin", () => {
    const sundayEveningInNewYork = new Date("2026-11-09T01:30:00Z");
    // New York: Sunday, so Monday and Tuesday; end of Tuesday New York time.
    expect(iso(afterWorkingDays(sundayEveningInNewYork, 2, NEW_YORK))).toBe("2026-11-11T05:00:00.000Z");
    // Berlin: already Monday 02:30, so Tuesday and Wednesday; end of Wednesday Berlin time (23:00 UTC).
    expect(iso(afterWorkingDays(sundayEveningInNewYork, 2, { ...NEW_YORK, zone: "Europe/Berlin" }))).toBe("2026-11-11T23:00:00.000Z");
  });

  it("ends a day at the local midnight across a daylight-saving change", () => {
    // Paid Thursday 5 March 2026; US clocks go forward on Sunday 8 March: Monday 9 ends at 04:00 UTC, not 05:00.
    expect(iso(afterWorkingDays(new Date("2026-03-05T15:00:00Z"), 2, NEW_YORK))).toBe("2026-03-10T04:00:00.000Z");
  });

  it("with no days: the end of the day of payment when it is a working day, else of the next working day", () => {
    expect(iso(afterWorkingDays(new Date("2026-11-02T15:00:00Z"), 0, NEW_YORK))).toBe("2026-11-03T05:00:00.000Z");
    expect(iso(afterWorkingDays(new Date("2026-11-07T15:00:00Z"), 0, NEW_YORK))).toBe("2026-11-10T05:00:00.000Z");
  });

  it("a week of only weekend days works; a calendar with no working day at all counts every day instead of looping", () => {
    const weekends = { ...NEW_YORK, workingDays: [6, 7] };
    expect(iso(afterWorkingDays(new Date("2026-11-02T15:00:00Z"), 2, weekends))).toBe("2026-11-09T05:00:00.000Z");
    const never = { ...NEW_YORK, workingDays: [] };
    expect(iso(afterWorkingDays(new Date("2026-11-02T15:00:00Z"), 2, never))).toBe("2026-11-05T05:00:00.000Z");
  });
});

describe("riskFrom", () => {
  const endOfMonday = new Date("2026-11-10T05:00:00Z");
  it("one working day of lead: from the start of the deadline's own day", () => {
    expect(iso(riskFrom(endOfMonday, 1, NEW_YORK))).toBe("2026-11-09T05:00:00.000Z");
  });
  it("two: from the working day before, across the weekend", () => {
    expect(iso(riskFrom(endOfMonday, 2, NEW_YORK))).toBe("2026-11-06T05:00:00.000Z");
  });
  it("none: only at the deadline", () => {
    expect(riskFrom(endOfMonday, 0, NEW_YORK)).toEqual(endOfMonday);
  });
});

describe("transit in calendar days", () => {
  it("counts every day from the day of dispatch, and leads back the same way", () => {
    const deliverBy = afterDays(new Date("2026-11-04T20:00:00Z"), 5, "America/New_York");
    expect(iso(deliverBy)).toBe("2026-11-10T05:00:00.000Z");
    expect(iso(daysBefore(deliverBy, 1, "America/New_York"))).toBe("2026-11-09T05:00:00.000Z");
    expect(iso(daysBefore(deliverBy, 3, "America/New_York"))).toBe("2026-11-07T05:00:00.000Z");
  });
});
